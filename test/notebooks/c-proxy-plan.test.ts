import { notebookTests } from './run-notebook.js';

notebookTests('c-proxy-plan.ipynb');
