'use strict';
// Calls to the service's staff API that scenarios share.
const http = require('node:http');
const { request } = require('./load');

/** Logs in as the admin the service created from ADMIN_EMAIL / ADMIN_PASSWORD; returns the bearer header. */
async function login(baseUrl, admin) {
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, `${baseUrl}/api/auth/login`, { method: 'POST', body: { email: admin.email, password: admin.password } });
  agent.destroy();
  if (res.status !== 200 && res.status !== 201) throw new Error(`admin login failed: ${res.status} ${res.body.slice(0, 300)}`);
  return { authorization: `Bearer ${JSON.parse(res.body).accessToken}` };
}

module.exports = { login };
