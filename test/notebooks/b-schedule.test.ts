import { notebookTests } from './run-notebook.js';

notebookTests('b-schedule.ipynb');
