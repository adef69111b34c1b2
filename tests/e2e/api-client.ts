
/** A user driven from the test itself, beside the browser (for setting up and for checking). */
export interface ApiUser {
  id: string;
  token: string;
  email: string;
  password: string;
  displayName: string;
}

let counter = 0;

export async function registerApiUser(baseUrl: string, displayName: string): Promise<ApiUser> {
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${++counter}@example.test`;
  const password = 'correct horse battery';
  const response = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName }),
  });
  if (response.status !== 201) throw new Error(`register ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string; user: { id: string } };
  return { id: body.user.id, token: body.accessToken, email, password, displayName };
}

/** A fresh access token for the user, without touching any browser's session. */
export async function loginApiUser(baseUrl: string, user: ApiUser): Promise<ApiUser> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (!response.ok) throw new Error(`login ${response.status}`);
  const body = (await response.json()) as { accessToken: string };
  return { ...user, token: body.accessToken };
}

export async function api<T = unknown>(baseUrl: string, user: ApiUser, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}


/** Sends a chat message as `user` through the API (as another client of theirs would); returns its id. */
export async function sendMessageViaApi(baseUrl: string, user: ApiUser, conversationId: string, body: string): Promise<string> {
  const id = crypto.randomUUID();
  await api(baseUrl, user, 'POST', '/api/mutations', {
    clientId: crypto.randomUUID(),
    mutationId: 1,
    createdAt: new Date().toISOString(),
    name: 'message.send',
    args: { id, conversationId, body, kind: 'text' },
  });
  return id;
}
