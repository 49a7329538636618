/** The forms protocol's names both bundles use at run time (no zod: the webview imports this file). */

/** The `view` a forms webview announces in its `ready` message. */
export const FORMS_VIEW = 'forms';

/** Method names of the forms protocol (namespaced `forms/…`). */
export const FormMethods = {
  /** host → webview notification: what to show (mode, values, which secrets are stored). */
  init: 'forms/init',
  /** host → webview notification: the pickable Konnect resources (auth servers, DCR providers), loaded after init. */
  options: 'forms/options',
  /** webview → host request: submit the values; answered with a SubmitResult. */
  submit: 'forms/submit',
  /** webview → host command: reload the pickable resources. */
  reloadOptions: 'forms/reloadOptions',
  /** webview → host command: close the form. */
  cancel: 'forms/cancel',
  /** webview → host command: something the host should log (CSP violations, script errors). */
  log: 'forms/log',
} as const;
