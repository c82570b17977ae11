import { notebookTests } from './run-notebook.js';

notebookTests('f-fixed-data.ipynb');
