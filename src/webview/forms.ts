// The forms page (DCR provider, auth strategy). Each @vscode-elements component is imported on its own, so the bundle
// carries only the ones the forms use.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { startFormsPage } from './forms/app';

const app = document.getElementById('app');
if (app) startFormsPage(app);
