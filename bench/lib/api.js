'use strict';
// Calls to the service's staff API that scenarios share.
const http = require('node:http');
const { request } = require('./load');

/** Logs in (the admin the service created from ADMIN_EMAIL / ADMIN_PASSWORD, or any {email, password}); returns the bearer header. */
async function login(baseUrl, admin) {
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, `${baseUrl}/api/auth/login`, { method: 'POST', body: { email: admin.email, password: admin.password } });
  agent.destroy();
  if (res.status !== 200 && res.status !== 201) throw new Error(`admin login failed: ${res.status} ${res.body.slice(0, 300)}`);
  return { authorization: `Bearer ${JSON.parse(res.body).accessToken}` };
}

/**
 * Creates a staff account through POST /api/users (as the admin of `headers`); returns
 * {id, email, password, name, role}, the password being what `login` needs.
 */
async function createUser(baseUrl, headers, { role, name, email, password = `bench-${role}-password-${email.length}` }) {
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, `${baseUrl}/api/users`, { method: 'POST', headers, body: { email, name, role, password } });
  agent.destroy();
  if (res.status !== 201) throw new Error(`creating ${role} ${email} failed: ${res.status} ${res.body.slice(0, 300)}`);
  return { id: JSON.parse(res.body).id, email, password, name, role };
}

module.exports = { login, createUser };
