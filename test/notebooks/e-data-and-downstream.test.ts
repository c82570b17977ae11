import { notebookTests } from './run-notebook.js';

notebookTests('e-data-and-downstream.ipynb');
