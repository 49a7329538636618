// Every secret the in-host tests hand to the extension or the sandbox (tokens, client secrets, DCR tokens, API keys):
// secret-scan.test.ts looks for each of them in settings, workspace files, global state and the logs.
const secrets = new Set<string>();

export function rememberSecret(value: string): string {
  secrets.add(value);
  return value;
}

export function rememberedSecrets(): readonly string[] {
  return [...secrets];
}
