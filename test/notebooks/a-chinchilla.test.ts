import { notebookTests } from './run-notebook.js';

notebookTests('a-chinchilla.ipynb');
