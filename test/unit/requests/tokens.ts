/** An unsigned-but-well-formed JWT for tests (the runner decodes, it does not verify). */
export function fakeJwt(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: 'k1' },
): string {
  const b = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b(header)}.${b(payload)}.c2lnbmF0dXJl`;
}
