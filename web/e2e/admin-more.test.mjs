// The console's account page, models and payments in a real browser: suspend an account (then
// it is signed out and cannot sign in) and reinstate it; revoke its API key and its sessions;
// create a model, restrict it to a group and see who can use it; sync a payment the provider
// confirmed and refund part of it (a refused amount first), against the fake YooKassa; a bulk role
// change lists the account it refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSteward, startFakeYooKassa, launchBrowser, isolatedPage, shot } from './harness.mjs';

const password = 'correct horse battery staple';
let steward, yookassa, browser, admin, uma, bo, env;

before(async () => {
  yookassa = await startFakeYooKassa();
  steward = await startSteward({ ...yookassa.env, ENABLE_API_KEYS: 'true', STEWARD_RECURRING: 'true' });
  browser = await launchBrowser();
  admin = await steward.signup('Ada Admin', 'ada@example.com', password);
  uma = await steward.signup('Uma User', 'uma@example.com', password);
  bo = await steward.signup('Bo Other', 'bo@example.com', password);
  await steward.gql(admin.token, 'mutation($ids: [ID!]!) { setUsersRole(ids: $ids, role: USER) { changed } }', { ids: [uma.id, bo.id] });
  await steward.gql(admin.token, 'mutation { updateDefaultPermissions(permissions: { features: { api_keys: true } }) }');
  env = await isolatedPage(browser, steward, { viewport: { width: 1280, height: 900 } });
  await env.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
  env.page.on('dialog', (d) => d.accept());
});
after(async () => {
  await browser?.close();
  await steward?.stop();
  await yookassa?.stop();
});

/** raw posts an operation and returns the whole response body (data and errors). */
async function raw(token, query, variables = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(steward.url + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return res.json();
}
const codes = (body) => (body.errors ?? []).map((e) => e.extensions?.code);
const signin = async (email) =>
  raw(null, 'mutation($i: SigninInput!) { signin(input: $i) { token user { role } } }', { i: { email, password } });

async function openUser(page, email) {
  await page.goto(`${steward.url}/admin/users`);
  await page.getByRole('link', { name: `Details of ${email}` }).click();
  await page.getByRole('heading', { name: email }).waitFor();
}

test('suspending an account signs it out and refuses its sign-in until it is reinstated', async () => {
  const { page } = env;
  const before = (await signin('uma@example.com')).data.signin.token;
  await openUser(page, 'uma@example.com');
  await page.getByLabel('Reason').fill('card chargeback');
  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.locator('dd[data-suspended]', { hasText: 'card chargeback' }).waitFor();
  await shot(page, 'console-user-suspended');

  // Signed out everywhere, and a sign-in with the right password is refused, saying why.
  assert.deepEqual(codes(await raw(before, '{ me { id } }')), ['UNAUTHENTICATED']);
  const refused = await signin('uma@example.com');
  assert.deepEqual(codes(refused), ['FORBIDDEN']);
  assert.match(refused.errors[0].message, /suspended/);

  await page.getByRole('button', { name: 'Reinstate' }).click();
  await page.locator('dd[data-suspended]', { hasText: /^no$/ }).waitFor();
  const back = await signin('uma@example.com');
  assert.equal(back.data.signin.user.role, 'USER');
  assert.deepEqual(codes(await raw(back.data.signin.token, '{ models { id } }')), []);
});

test('the admin revokes an API key and the sessions of an account from its page', async () => {
  const { page } = env;
  const session = (await signin('uma@example.com')).data.signin.token;
  const created = await steward.gql(session, 'mutation { createAPIKey(input: { name: "laptop script" }) { key } }');
  const key = created.createAPIKey.key;
  assert.equal((await raw(key, '{ me { email } }')).data.me.email, 'uma@example.com');

  await openUser(page, 'uma@example.com');
  const sessions = page.locator('tr[data-session]');
  await sessions.first().waitFor();
  const count = await sessions.count();
  assert.ok(count >= 2, `uma has ${count} sessions listed, want at least 2`);
  await shot(page, 'console-user-detail');

  await page.getByRole('button', { name: 'Revoke API key laptop script' }).click();
  await page.locator('tr[data-key="laptop script"]').waitFor({ state: 'detached' });
  await page.getByText('No API keys.').waitFor();
  assert.deepEqual(codes(await raw(key, '{ me { email } }')), ['UNAUTHENTICATED']);

  await sessions.first().getByRole('button', { name: /^Revoke session/ }).click();
  await page.locator('tr[data-session]').nth(count - 1).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Revoke all sessions' }).click();
  await page.getByText('No active sessions.').waitFor();
  const left = await steward.gql(admin.token, 'query($id: ID) { sessions(userId: $id) { id } }', { id: uma.id });
  assert.deepEqual(left.sessions, []);
  assert.notEqual((await raw(session, '{ me { email } }')).data?.me?.email, 'uma@example.com');
});

test('a model created in the console, restricted to a group, is usable by its members only', async () => {
  const { page } = env;
  const g = await steward.gql(admin.token, 'mutation { createGroup(input: { name: "Researchers" }) { id } }');
  await steward.gql(admin.token, 'mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { group { id } } }', {
    g: g.createGroup.id,
    u: [uma.id],
  });

  await page.getByRole('link', { name: 'Models', exact: true }).click();
  await page.getByRole('heading', { name: 'Models' }).waitFor();
  await page.getByLabel('Model id').fill('llama3');
  await page.getByLabel('Display name').fill('Llama 3');
  await page.getByRole('button', { name: 'Create model' }).click();
  const row = page.locator('tr[data-model="llama3"]');
  await row.locator('td[data-access]', { hasText: 'Public' }).waitFor();

  await row.getByRole('button', { name: 'Edit Llama 3' }).click();
  const form = page.locator('form[data-edit-model="llama3"]');
  await form.locator('dd[data-readers]', { hasText: 'bo@example.com' }).waitFor();
  await form.getByLabel('Restricted to the groups and users below').check();
  await form.getByLabel('Researchers may read').check();
  await form.getByRole('button', { name: 'Save model' }).click();
  await row.locator('td[data-access]', { hasText: 'Read: Researchers; write: nobody else' }).waitFor();
  const readers = form.locator('dd[data-readers]');
  await readers.filter({ hasNotText: 'bo@example.com' }).waitFor();
  assert.match(await readers.innerText(), /uma@example\.com/);
  await shot(page, 'console-models');

  const who = await steward.gql(admin.token, '{ usersWithAccess(modelId: "llama3", access: READ) { email } }');
  const emails = who.usersWithAccess.map((u) => u.email);
  assert.ok(emails.includes('uma@example.com'), `readers ${emails}`);
  assert.ok(!emails.includes('bo@example.com'), `readers ${emails}`);
});

test('a confirmed payment is synced, a too large refund is refused, and a partial refund goes through', async () => {
  const { page } = env;
  const plan = await steward.gql(admin.token, 'mutation { createPlan(input: { name: "Pro", price: "499.00", currency: "RUB", interval: MONTH }) { id } }');
  const umaToken = (await signin('uma@example.com')).data.signin.token;
  const sub = await steward.gql(umaToken, 'mutation($p: ID!) { subscribe(planId: $p, returnUrl: "https://app.example.com/billing") { transaction { id providerPaymentID } } }', {
    p: plan.createPlan.id,
  });
  const { id, providerPaymentID } = sub.subscribe.transaction;

  await page.getByRole('link', { name: 'Payments', exact: true }).click();
  await page.getByRole('heading', { name: 'Payments' }).waitFor();
  const row = page.locator(`tr[data-payment="${id}"]`);
  await row.locator('td[data-status]', { hasText: 'pending' }).waitFor();
  await yookassa.succeed(providerPaymentID); // the user paid; the notification never came
  await row.getByRole('button', { name: /^Sync payment/ }).click();
  await row.locator('td[data-status]', { hasText: 'succeeded' }).waitFor();

  await row.getByRole('button', { name: 'Refund payment of uma@example.com' }).click();
  const form = page.getByRole('form', { name: 'Refund of 499.00 RUB' });
  await form.getByLabel(/^Amount to refund/).fill('600.00');
  await form.getByLabel('Reason').fill('Goodwill');
  await form.getByRole('button', { name: 'Refund' }).click();
  await form.locator(`#refund-${id}-amount-error`, { hasText: /499\.00/ }).waitFor();
  assert.equal(await form.getByLabel(/^Amount to refund/).getAttribute('aria-invalid'), 'true');
  assert.doesNotMatch(await form.innerText(), /\[object Object\]/);
  const unchanged = await steward.gql(admin.token, 'query($id: ID!) { node(id: $id) { ... on Transaction { status refunded } } }', { id });
  assert.deepEqual(unchanged.node, { status: 'SUCCEEDED', refunded: '0.00' });
  await shot(page, 'console-payment-refund-refused');

  await form.getByLabel(/^Amount to refund/).fill('100.00');
  await form.getByRole('button', { name: 'Refund' }).click();
  await row.locator('td[data-status]', { hasText: 'partially refunded' }).waitFor();
  const t = await steward.gql(admin.token, '{ transactions(first: 5) { edges { node { id status refunded } } } }');
  const paid = t.transactions.edges.map((e) => e.node).find((n) => n.id === id);
  assert.equal(paid.status, 'PARTIALLY_REFUNDED');
  assert.equal(paid.refunded, '100.00');

  // Filtered to uma: her saved payment method is shown and can be removed.
  await page.getByLabel('Filter by user email').fill('uma@example.com');
  await page.getByRole('button', { name: 'Filter' }).click();
  const method = page.locator('[data-payment-method]');
  await method.getByRole('button', { name: 'Remove saved method' }).waitFor();
  await shot(page, 'console-payments');
  await method.getByRole('button', { name: 'Remove saved method' }).click();
  await method.getByText(/: none$/).waitFor();
  const m = await steward.gql(admin.token, 'query($u: ID!) { paymentMethod(userId: $u) { title } }', { u: uma.id });
  assert.equal(m.paymentMethod, null);
});

test('a bulk role change changes the others and lists the account it refused', async () => {
  const { page } = env;
  await page.goto(`${steward.url}/admin/users`);
  for (const email of ['bo@example.com', 'ada@example.com']) {
    await page.getByLabel(`Select ${email}`).check();
  }
  await page.getByLabel('Role for the selected users').selectOption('PENDING');
  await page.getByRole('button', { name: 'Set role', exact: true }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Not changed' });
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Not changed: ada@example\.com: /);
  assert.doesNotMatch(await refusal.innerText(), /bo@example\.com/);
  // The report comes with the mutation's answer; the list shows the new roles once it is read again.
  await page.waitForFunction(() => document.querySelector('select[aria-label="Role of bo@example.com"]')?.value === 'PENDING');
  await shot(page, 'console-users-bulk-role');
  const roles = await steward.gql(admin.token, '{ users(first: 10) { edges { node { email role } } } }');
  const role = Object.fromEntries(roles.users.edges.map((e) => [e.node.email, e.node.role]));
  assert.equal(role['ada@example.com'], 'ADMIN');
  assert.equal(role['bo@example.com'], 'PENDING');
});

test('the new pages fit a phone, in the dark theme', async () => {
  const phone = await isolatedPage(browser, steward, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await phone.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
  for (const [path, heading, name] of [
    ['/admin/payments', 'Payments', 'console-payments-phone-dark'],
    ['/admin/models', 'Models', 'console-models-phone-dark'],
    [`/admin/users/${uma.id}`, 'uma@example.com', 'console-user-detail-phone-dark'],
  ]) {
    await phone.page.goto(steward.url + path);
    await phone.page.getByRole('heading', { name: heading, exact: true }).waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px on a phone`);
    await shot(phone.page, name);
  }
  // Keyboard: the skip link, then the menu button, are the first stops.
  await phone.page.keyboard.press('Tab');
  assert.equal(await phone.page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  assert.deepEqual(phone.consoleErrors, []);
  assert.deepEqual(env.foreign, []);
  assert.deepEqual(phone.foreign, []);
  await phone.context.close();
});
