// The playground at / works with the network to anything but steward blocked: GraphiQL loads
// from the embedded assets, runs a query with the signed-in cookie and streams a subscription
// over graphql-ws.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSteward, launchBrowser, isolatedPage, shot, subscribeSent } from './harness.mjs';

let steward, browser, admin;
before(async () => {
  steward = await startSteward();
  browser = await launchBrowser();
  admin = await steward.signup('Ada Admin', 'ada@example.com', 'correct horse battery staple');
});
after(async () => {
  await browser?.close();
  await steward?.stop();
});

async function openPlayground(query) {
  const env = await isolatedPage(browser, steward);
  await env.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
  await env.page.goto(`${steward.url}/?query=${encodeURIComponent(query)}`);
  await editorReady(env.page);
  return env;
}

// editorReady waits until the query editor (Monaco, loaded after the page) shows its operation:
// before that, the execute button does nothing.
async function editorReady(page) {
  await page.locator('.graphiql-query-editor .view-lines', { hasText: /\w/ }).waitFor();
}

function response(page) {
  return page.locator('.graphiql-response');
}

test('GraphiQL runs a query offline with the session cookie', async () => {
  const { page, foreign, consoleErrors } = await openPlayground('query Me { me { email role } }');
  await page.locator('.graphiql-execute-button').click();
  await assert.doesNotReject(response(page).getByText('ada@example.com').waitFor());
  assert.match(await response(page).innerText(), /ADMIN/);
  await shot(page, 'playground-query');
  assert.deepEqual(foreign, [], 'requests left the steward origin');
  assert.deepEqual(consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e)), [], 'CSP violations');
  await page.context().close();
});

test('GraphiQL streams a subscription over graphql-ws', async () => {
  const { page, foreign } = await openPlayground('subscription Tail { auditLogAdded { action entityType } }');
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const live = subscribeSent(page);
  await page.locator('.graphiql-execute-button').click();
  // Once the subscribe message is out, make an audited change through the API.
  await live;
  const pending = await steward.signup('Pat Pending', 'pat@example.com', 'correct horse battery staple');
  await steward.gql(admin.token, 'mutation($id: ID!) { updateUser(id: $id, input: { role: USER }) { id } }', { id: pending.id });
  await assert.doesNotReject(response(page).getByText('entityType').first().waitFor());
  await shot(page, 'playground-subscription');
  assert.equal(sockets.length, 1);
  assert.match(sockets[0], /^ws:\/\/127\.0\.0\.1:\d+\/graphql$/);
  assert.deepEqual(foreign, [], 'requests left the steward origin');
  await page.context().close();
});

test("GraphiQL sends a token pasted in the Headers tab as the subscription's connection_init", async () => {
  const env = await isolatedPage(browser, steward);
  const { page, foreign } = env;
  await page.goto(`${steward.url}/?query=${encodeURIComponent('subscription Tail { auditLogAdded { action } }')}`);
  await editorReady(page);
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  await page.locator('.graphiql-editor-tool .graphiql-editor:visible').click();
  await page.keyboard.insertText(`{"Authorization": "Bearer ${admin.token}"}`);
  const live = subscribeSent(page);
  const init = new Promise((resolve) =>
    page.on('websocket', (ws) => ws.on('framesent', (f) => String(f.payload).includes('connection_init') && resolve(String(f.payload)))),
  );
  await page.locator('.graphiql-execute-button').click();
  assert.match(await init, /"Authorization":"Bearer /);
  await live;
  const other = await steward.signup('Sam Second', `sam${Date.now()}@example.com`, 'correct horse battery staple');
  await steward.gql(admin.token, 'mutation($id: ID!) { deleteUser(id: $id) }', { id: other.id });
  await assert.doesNotReject(response(page).getByText('USER_DELETED').first().waitFor());
  await shot(page, 'playground-token');
  assert.deepEqual(foreign, []);
  await env.context.close();
});

test('an anonymous visitor gets the schema: GraphiQL\'s introspection fits the anonymous limits', async () => {
  const env = await isolatedPage(browser, steward);
  const { page } = env;
  const introspection = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('__schema'));
  await page.goto(`${steward.url}/`);
  const res = await introspection;
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  assert.equal(body.data.__schema.queryType.name, 'Query');
  await env.context.close();
});
