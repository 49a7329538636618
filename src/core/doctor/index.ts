/** DCR Doctor: walk the DCR chain of a strategy, an API or a publication and name what is broken (no vscode). */
export { diagnose, ACE_PLUGIN, APP_AUTH_PLUGIN, type DiagnoseOptions } from './walker';
export { konnectPorts, type DoctorPorts } from './ports';
export * from './types';
