/** Registers a user through the real API; the email is derived from the name, so sign in with it. */
export async function registerViaApi(url: string, name: string) {
  const email = `${name.toLowerCase()}@bench.test`;
  const password = 'bench password 1';
  const response = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: name }),
  });
  if (!response.ok) throw new Error(`registering ${name} answered ${response.status}`);
  const body = (await response.json()) as { accessToken: string; user: { id: string } };
  return { email, password, token: body.accessToken, id: body.user.id };
}
