// The admin console in a real browser: sign in, approve a pending user, a group with a denial
// that explainPermission explains, a form's field error shown at its field, and the audit log's
// live tail showing the changes just made. No request leaves the steward origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSteward, launchBrowser, isolatedPage, shot, subscribeSent } from './harness.mjs';

const password = 'correct horse battery staple';
let steward, browser, admin, pending, env;

before(async () => {
  steward = await startSteward();
  browser = await launchBrowser();
  admin = await steward.signup('Ada Admin', 'ada@example.com', password);
  pending = await steward.signup('Pat Pending', 'pat@example.com', password);
  env = await isolatedPage(browser, steward, { viewport: { width: 1280, height: 800 } });
});
after(async () => {
  await browser?.close();
  await steward?.stop();
});

const userRole = async (id) =>
  (await steward.gql(admin.token, 'query($id: ID!) { user(id: $id) { role } }', { id })).user.role;

test('a wrong password is refused with a clear message, then the admin signs in', async () => {
  const { page } = env;
  await page.goto(`${steward.url}/admin/`);
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Please sign in again\. incorrect email or password/);
  assert.doesNotMatch(await page.content(), /\[object Object\]/);
  await shot(page, 'console-signin-refused');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  await shot(page, 'console-users');
});

test('the admin approves a pending user', async () => {
  const { page } = env;
  assert.equal(await userRole(pending.id), 'PENDING');
  const row = page.locator('tr[data-user="pat@example.com"]');
  await row.getByRole('button', { name: 'Approve' }).click();
  await row.getByRole('button', { name: 'Approve' }).waitFor({ state: 'detached' });
  assert.equal(await row.getByLabel('Role of pat@example.com').inputValue(), 'USER');
  assert.equal(await userRole(pending.id), 'USER');
  await shot(page, 'console-users-approved');
});

test('the users list searches and filters by role', async () => {
  const { page } = env;
  await page.getByRole('searchbox', { name: 'Search users' }).fill('ada');
  await page.locator('tr[data-user="pat@example.com"]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('tr[data-user="ada@example.com"]').count(), 1);
  await page.getByRole('searchbox', { name: 'Search users' }).fill('');
  await page.getByLabel('Filter by role').selectOption('USER');
  await page.locator('tr[data-user="ada@example.com"]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('tr[data-user="pat@example.com"]').count(), 1);
});

test('bulk delete removes the selected accounts and lists the ones refused', async () => {
  const { page } = env;
  const a = await steward.signup('Bulk One', 'bulk1@example.com', password);
  const b = await steward.signup('Bulk Two', 'bulk2@example.com', password);
  await page.goto(`${steward.url}/admin/users`);
  for (const email of ['bulk1@example.com', 'bulk2@example.com', 'ada@example.com']) {
    await page.getByLabel(`Select ${email}`).check();
  }
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Not deleted' });
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Not deleted: ada@example\.com: /);
  await page.locator('tr[data-user="bulk1@example.com"]').waitFor({ state: 'detached' });
  await shot(page, 'console-users-bulk');
  const left = await steward.gql(admin.token, '{ users(first: 10) { edges { node { id } } } }');
  const ids = left.users.edges.map((e) => e.node.id);
  assert.ok(!ids.includes(a.id) && !ids.includes(b.id), 'the selected users are gone');
  assert.ok(ids.includes(admin.id), 'the primary admin stays');
});

test('a group form shows the server field error next to its field and creates nothing', async () => {
  const { page } = env;
  await page.getByRole('link', { name: 'Groups' }).click();
  await page.getByRole('heading', { name: 'Groups' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Contractors');
  await page.getByLabel('Denied permissions').fill('no.such.key');
  await page.getByRole('button', { name: 'Create group' }).click();
  const fieldError = page.locator('#group-denied-error');
  await fieldError.waitFor();
  assert.match(await fieldError.innerText(), /unknown permission key/);
  assert.equal(await page.getByLabel('Denied permissions').getAttribute('aria-invalid'), 'true');
  await shot(page, 'console-group-field-error');
  const groups = await steward.gql(admin.token, '{ groups(first: 10) { totalCount } }');
  assert.equal(groups.groups.totalCount, 0);
});

test('a group with a denial, and explainPermission says why', async () => {
  const { page } = env;
  await page.getByLabel('Denied permissions').fill('chat.file_upload');
  await page.getByRole('button', { name: 'Create group' }).click();
  const row = page.locator('tr[data-group="Contractors"]');
  await row.waitFor();
  await row.getByLabel('Email of a user to add to Contractors').fill('pat@example.com');
  await row.getByRole('button', { name: 'Add' }).click();
  await row.locator('td', { hasText: /^1$/ }).waitFor();

  await page.getByLabel("User's email").fill('pat@example.com');
  await page.getByLabel('Permission key').fill('chat.file_upload');
  await page.getByRole('button', { name: 'Explain' }).click();
  const answer = page.locator('output.explanation');
  await answer.waitFor();
  const text = await answer.innerText();
  assert.match(text, /Denied/);
  assert.match(text, /"Contractors": denies/);
  await shot(page, 'console-groups-why');
});

test('the audit log tails the changes just made, live', async () => {
  const { page } = env;
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.locator('tr[data-action="GROUP_MEMBERS_ADDED"]').first().waitFor();
  assert.ok(await page.locator('tr[data-action="USER_ROLE_CHANGED"]').count() >= 1);
  // A change made elsewhere appears without reloading.
  const before = await page.locator('tbody tr').count();
  const live = subscribeSent(page);
  await page.reload();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await live;
  // The subscribe frame leaves before the server has started the stream (graphql-ws does not
  // acknowledge a subscription), so a change made at once can fall in between and is not replayed:
  // change again until one shows.
  const liveRow = page.locator('tr[data-action="GROUP_CREATED"]', { hasText: 'Live' }).first();
  for (let i = 1; ; i++) {
    await steward.gql(admin.token, `mutation { createGroup(input: { name: "Live ${i}" }) { id } }`);
    try {
      await liveRow.waitFor({ timeout: 3000 });
      break;
    } catch (err) {
      if (i === 5) throw err;
    }
  }
  // The tail's row can arrive before the reloaded page's list: count once the list is back too.
  await page.locator('tr[data-action="GROUP_MEMBERS_ADDED"]').first().waitFor();
  assert.ok((await page.locator('tbody tr').count()) > before - 1);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await page.getByText(/Chain intact/).waitFor();
  await shot(page, 'console-audit');
});

test('the console works at phone width, in dark mode, from the keyboard', async () => {
  const phone = await isolatedPage(browser, steward, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await phone.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
  const { page } = phone;
  await page.goto(`${steward.url}/admin/groups`);
  await page.getByRole('heading', { name: 'Groups' }).waitFor();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(21, 22, 26)', 'dark background from prefers-color-scheme');
  // The navigation is behind the menu button; Tab reaches it and Enter opens it.
  assert.equal(await page.getByRole('link', { name: 'Users' }).isVisible(), false);
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // menu
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Menu');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Users' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.equal(overflow, 0, 'the page does not scroll sideways');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(247, 247, 248)');
  await shot(page, 'console-phone');
  assert.deepEqual(phone.foreign, []);
  assert.deepEqual(env.foreign, []);
  await phone.context.close();
});
