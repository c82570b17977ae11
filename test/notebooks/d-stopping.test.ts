import { notebookTests } from './run-notebook.js';

notebookTests('d-stopping.ipynb');
