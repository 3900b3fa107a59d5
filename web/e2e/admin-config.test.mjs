// Console part B in a real browser: configuration forms (a field error at its field and nothing
// saved, then a good value saved), the analytics dashboard (MRR movements, usage by day, the
// complimentary line, a month range, changing live as usage is recorded), a plan's page (toggle,
// duplicate, translations, subscribers, moving them after a dry-run preview), a group's members,
// and the audit log's filters and chain verification. No request leaves the steward origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSteward, launchBrowser, isolatedPage, shot, subscribeSent } from './harness.mjs';

const password = 'correct horse battery staple';
let steward, browser, admin, uma, cid, env, pro;

const month = (d) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

before(async () => {
  steward = await startSteward();
  browser = await launchBrowser();
  admin = await steward.signup('Ada Admin', 'ada@example.com', password);
  uma = await steward.signup('Uma User', 'uma@example.com', password);
  cid = await steward.signup('Cid Comp', 'cid@example.com', password);
  for (const u of [uma, cid]) {
    await steward.gql(admin.token, 'mutation($id: ID!) { updateUser(id: $id, input: { role: USER }) { id } }', { id: u.id });
  }
  const created = await steward.gql(admin.token, 'mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
    i: { name: 'Pro', price: '20.00', currency: 'USD', quotas: [{ metric: 'TOKENS_INPUT', limit: 100000 }] },
  });
  pro = created.createPlan.id;
  const assign = 'mutation($u: ID!, $p: ID!, $c: Boolean) { assignPlan(userId: $u, planId: $p, complimentary: $c) { id } }';
  await steward.gql(admin.token, assign, { u: uma.id, p: pro, c: false }); // paid outside steward: in MRR
  await steward.gql(admin.token, assign, { u: cid.id, p: pro, c: true }); // complimentary: its own line
  env = await isolatedPage(browser, steward, { viewport: { width: 1280, height: 900 } });
  await env.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
});
after(async () => {
  await browser?.close();
  await steward?.stop();
});

const config = async () => (await steward.gql(admin.token, '{ config { auth { passwordMinLength } connections { openai { url } } } }')).config;

test('a config form shows the field error at its field and saves nothing, then saves a good value', async () => {
  const { page } = env;
  await page.goto(`${steward.url}/admin/config`);
  await page.getByRole('heading', { name: 'Configuration' }).waitFor();
  await page.getByRole('button', { name: 'Sign-up and sign-in' }).click();
  const min = page.getByLabel('Minimum password length');
  assert.equal(await min.inputValue(), '8');
  await min.fill('twelve');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#config-auth-passwordMinLength-error', { hasText: 'must be a whole number' }).waitFor();
  await min.fill('3');
  await page.getByRole('button', { name: 'Save' }).click();
  const err = page.locator('#config-auth-passwordMinLength-error');
  await err.waitFor();
  // The message is shown once, under the label, without the field's name repeated.
  assert.equal(await err.innerText(), 'must be between 8 and 128');
  assert.equal(await min.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.alert').count(), 0, 'the field error is not repeated in the form alert');
  await shot(page, 'console-config-field-error');
  assert.equal((await config()).auth.passwordMinLength, 8);

  await min.fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.equal(await err.count(), 0);
  assert.equal((await config()).auth.passwordMinLength, 12);
  await shot(page, 'console-config');
});

test('a list section names the item at fault: a bad upstream URL is shown at that upstream', async () => {
  const { page } = env;
  await page.getByRole('button', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Add upstream' }).click();
  await page.getByLabel('Base URL').fill('not a url');
  await page.getByRole('button', { name: 'Save' }).click();
  const err = page.locator('#config-connections-openai-0-url-error');
  await err.waitFor();
  assert.doesNotMatch(await err.innerText(), /^(openai|url)/);
  assert.deepEqual((await config()).connections.openai, []);
  await page.getByLabel('Base URL').fill('https://api.example.com/v1');
  await page.getByLabel('API key (write-only)').fill('sk-test-0123456789');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.deepEqual((await config()).connections.openai, [{ url: 'https://api.example.com/v1' }]);
  // The key is write-only: once saved the field is empty again and says a key is stored.
  const key = page.getByLabel('API key (write-only)');
  await page.locator('input[placeholder="stored (leave empty to keep)"]').waitFor();
  assert.equal(await key.inputValue(), '');
  assert.doesNotMatch(await page.content(), /sk-test-0123456789/);
  await shot(page, 'console-config-connections');
});

test('a tool server is verified before saving: a private address is refused with the reason at the server', async () => {
  const { page } = env;
  await page.getByRole('button', { name: 'Tool servers' }).click();
  await page.getByRole('button', { name: 'Add server' }).click();
  await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Verify server 1' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Not verified:' });
  await refusal.waitFor();
  assert.doesNotMatch(await refusal.innerText(), /Not verified: url:/);
  await shot(page, 'console-config-tool-server');
  assert.deepEqual((await steward.gql(admin.token, '{ config { toolServers { url } } }')).config.toolServers, []);
});

test('a configuration export, edited, is previewed as the fields it changes and applied only when confirmed', async () => {
  const { page } = env;
  await page.getByRole('button', { name: 'Export and import' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('link', { name: 'Download steward-config.json' }).waitFor();
  const doc = JSON.parse(await page.getByLabel('Configuration document (JSON)').inputValue());
  assert.equal(doc.version, 1);
  assert.doesNotMatch(JSON.stringify(doc), /sk-test-0123456789/, 'no secret without Include secrets');
  doc.sections.ui.name = 'Acme AI';
  await page.getByLabel('Configuration document (JSON)').fill(JSON.stringify(doc));
  await page.getByRole('button', { name: 'Preview import' }).click();
  const change = page.locator('[data-preview="import"] tr[data-change="ui.name"]');
  await change.waitFor();
  assert.match(await change.innerText(), /Acme AI/);
  await shot(page, 'console-config-import-preview');
  const uiName = async () => (await steward.gql(admin.token, '{ config { ui { name } } }')).config.ui.name;
  assert.notEqual(await uiName(), 'Acme AI', 'the preview changed nothing');
  await page.getByRole('button', { name: 'Apply 1 change' }).click();
  await page.getByText('Imported: 1 field changed.').waitFor();
  assert.equal(await uiName(), 'Acme AI');
  // Text that is not JSON is refused at the field, before any request.
  await page.getByLabel('Configuration document (JSON)').fill('{ not json');
  await page.getByRole('button', { name: 'Preview import' }).click();
  await page.locator('#exchange-text-error').waitFor();
});

test('the dashboard shows MRR movements, the complimentary line and usage by day, and changes live', async () => {
  const { page } = env;
  const live = subscribeSent(page);
  await page.getByRole('link', { name: 'Analytics' }).click();
  await page.getByRole('heading', { name: 'Analytics' }).waitFor();
  await page.locator('[data-figure="mrr"]', { hasText: /20(\.00)? USD/ }).waitFor();
  assert.match(await page.locator('[data-figure="arr"]').innerText(), /240(\.00)? USD/);
  assert.match(await page.locator('[data-figure="complimentary"]').innerText(), /^1 subscription, worth 20(\.00)? USD a month$/);
  const thisMonth = month(new Date());
  const row = page.locator(`table[data-table="movements"] tr[data-month="${thisMonth}"]`);
  assert.match(await row.locator('[data-movement="new"]').innerText(), /^20(\.00)? \(1\)$/);
  await page.locator('figure', { hasText: 'MRR movements by month (USD)' }).locator('canvas').waitFor();
  const usage = page.locator('figure', { hasText: 'Usage by day' });
  await usage.locator('canvas').waitFor();
  assert.doesNotMatch(await usage.locator('[role="img"]').getAttribute('aria-label'), /700/);

  await live;
  await steward.gql(admin.token, 'mutation($i: RecordUsageInput!) { recordUsage(input: $i) { event { id } } }', {
    i: { userId: uma.id, metric: 'TOKENS_INPUT', amount: 700 },
  });
  await page.locator('[data-figure="tokens-input"]', { hasText: /^700$/ }).waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('figure')].some((f) => f.textContent.includes('Usage by day') && /tokens_input[^;]*\b700\b/.test(f.querySelector('[role="img"]').getAttribute('aria-label'))));
  await shot(page, 'console-analytics-movements');

  // A range of one month: one row of movements.
  await page.getByLabel('From month').fill(thisMonth);
  await page.locator('table[data-table="movements"] tbody tr').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table[data-table="movements"] tbody tr').length === 1);
  assert.equal(await row.count(), 1);
});

test('a plan is toggled and duplicated, the copy translated, and its subscribers moved after a preview', async () => {
  const { page } = env;
  await page.getByRole('link', { name: 'Plans' }).click();
  await page.getByRole('link', { name: 'Pro', exact: true }).click();
  await page.getByRole('heading', { name: 'Plan: Pro' }).waitFor();
  await page.locator('tr[data-subscriber="uma@example.com"]').waitFor();
  assert.equal(await page.locator('tr[data-subscriber="cid@example.com"]').count(), 1);
  assert.match(await page.getByRole('heading', { name: /^Subscribers/ }).innerText(), /\(2\)/);
  await shot(page, 'console-plan');

  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.locator('[data-figure="plan-active"]', { hasText: 'inactive' }).waitFor();
  assert.equal((await steward.gql(admin.token, '{ plan(id: "' + pro + '") { isActive } }')).plan.isActive, false);
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.locator('[data-figure="plan-active"]', { hasText: /^active$/ }).waitFor();

  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.getByRole('heading', { name: 'Plan: Pro (Copy)' }).waitFor();
  assert.match(await page.getByRole('heading', { name: /^Subscribers/ }).innerText(), /\(0\)/);
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.locator('[data-figure="plan-active"]', { hasText: /^active$/ }).waitFor();
  // A translation with an empty locale is refused at its field; then a good one is saved.
  await page.getByRole('button', { name: 'Add translation' }).click();
  const form = page.locator('#plan-edit');
  await form.getByLabel('Name', { exact: true }).first().fill('Pro Plus');
  await form.locator('#plan-edit-translations-0-name').fill('Про плюс');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await form.locator('#plan-edit-translations-0-locale-error', { hasText: 'is not a language tag' }).waitFor();
  assert.equal(await form.locator('#plan-edit-translations-0-locale').getAttribute('aria-invalid'), 'true');
  await shot(page, 'console-plan-translation-error');
  const copyId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  const copy = async () => (await steward.gql(admin.token, `{ plan(id: "${copyId}") { name translations { locale name } } }`)).plan;
  assert.deepEqual((await copy()).translations.filter((t) => t.locale === 'ru'), []);
  await form.locator('#plan-edit-translations-0-locale').fill('ru');
  await page.getByRole('button', { name: 'Save plan' }).click();
  await form.getByText('Saved.').waitFor();
  const saved = await copy();
  assert.equal(saved.name, 'Pro Plus');
  assert.deepEqual(saved.translations.filter((t) => t.locale === 'ru'), [{ locale: 'ru', name: 'Про плюс' }]);

  // Move Pro's subscribers to the copy: the preview first, nothing moved until it is confirmed.
  await page.goto(`${steward.url}/admin/plans/${encodeURIComponent(pro)}`);
  await page.getByRole('heading', { name: 'Plan: Pro' }).waitFor();
  await page.getByLabel('To plan').selectOption({ label: 'Pro Plus' });
  await page.getByLabel(/At the end of each one's period/).uncheck();
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.locator('[data-preview="move"]');
  await preview.waitFor();
  assert.match(await preview.innerText(), /2 live subscriptions would move to Pro Plus now/);
  await shot(page, 'console-plan-move-preview');
  const subscribers = async (id) => (await steward.gql(admin.token, `{ plan(id: "${id}") { subscribers(first: 10, live: true) { totalCount } } }`)).plan.subscribers.totalCount;
  assert.equal(await subscribers(pro), 2, 'the dry run moved nobody');
  await page.getByRole('button', { name: 'Move 2 subscribers' }).click();
  await page.getByText('Moved 2 subscriptions.').waitFor();
  // Pro's page lists who is on it now: nobody; its history still has both.
  await page.locator('tr[data-subscriber="uma@example.com"]').waitFor({ state: 'detached' });
  assert.match(await page.getByRole('heading', { name: /^Subscribers/ }).innerText(), /\(0\)/);
  await page.getByLabel('Include ended subscriptions').check();
  await page.locator('tr[data-subscriber="uma@example.com"]', { hasText: 'canceled' }).waitFor();
  assert.equal(await subscribers(copyId), 2);
});

test("a group's members are listed page by page and one is removed", async () => {
  const { page } = env;
  const g = await steward.gql(admin.token, 'mutation { createGroup(input: { name: "Staff" }) { id } }');
  await steward.gql(admin.token, 'mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { group { id } } }', {
    g: g.createGroup.id, u: [uma.id, cid.id],
  });
  await page.getByRole('link', { name: 'Groups' }).click();
  await page.getByRole('button', { name: 'Members of Staff' }).click();
  await page.locator('li[data-member="uma@example.com"]').waitFor();
  assert.equal(await page.locator('li[data-member="cid@example.com"]').count(), 1);
  await shot(page, 'console-group-members');
  await page.getByRole('button', { name: 'Remove cid@example.com' }).click();
  await page.locator('li[data-member="cid@example.com"]').waitFor({ state: 'detached' });
  await page.locator('tr[data-group="Staff"] td', { hasText: /^1$/ }).waitFor();
});

test('groups are listed a page at a time', async () => {
  const { page } = env;
  for (let i = 1; i <= 20; i++) {
    await steward.gql(admin.token, 'mutation($n: String!) { createGroup(input: { name: $n }) { id } }', { n: `Team ${i}` });
  }
  await page.reload();
  await page.getByText('21 groups').waitFor();
  const names = () => page.locator('tr[data-group]').evaluateAll((rows) => rows.map((r) => r.dataset.group));
  const first = await names();
  assert.equal(first.length, 20);
  await page.getByRole('button', { name: 'Next groups' }).click();
  await page.waitForFunction(() => document.querySelectorAll('tr[data-group]').length === 1);
  const second = await names();
  assert.ok(!first.includes(second[0]), `${second[0]} is on both pages`);
  assert.equal(await page.getByRole('button', { name: 'Next groups' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Previous groups' }).click();
  await page.waitForFunction(() => document.querySelectorAll('tr[data-group]').length === 20);
});

test('the audit log filters by action, actor and dates, and verifies the chain', async () => {
  const { page } = env;
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Action').selectOption('PLAN_DUPLICATED');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('1 entry matches').waitFor();
  assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.action)), ['PLAN_DUPLICATED']);

  await filters.getByLabel('Action').selectOption('');
  await filters.getByLabel("Actor's email").fill('nobody@example.com');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('#audit-actor-error', { hasText: 'No account has the email nobody@example.com.' }).waitFor();

  await filters.getByLabel("Actor's email").fill('ada@example.com');
  await filters.getByLabel('Entity type').fill('Group');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('#audit-actor-error').waitFor({ state: 'detached' });
  await page.locator('tr[data-action="GROUP_MEMBERS_REMOVED"]').waitFor();
  await page.locator('tr[data-action="PLAN_DUPLICATED"]').waitFor({ state: 'detached' });
  const cells = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.cells[3].textContent, r.cells[4].textContent]));
  assert.ok(cells.every(([entity, by]) => entity.startsWith('Group') && by === 'ada@example.com'), `rows: ${JSON.stringify(cells)}`);
  const actions = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.action));
  assert.ok(actions.includes('GROUP_CREATED') && actions.includes('GROUP_MEMBERS_REMOVED'), `actions: ${actions}`);

  // A day range in the future has nothing.
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  await filters.getByLabel('From day').fill(tomorrow);
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('0 entries match').waitFor();
  assert.equal(await page.locator('tbody tr[data-action]').count(), 0);
  await page.getByRole('cell', { name: 'No entries.' }).waitFor();

  await page.getByRole('button', { name: 'Verify chain' }).click();
  const verdict = page.locator('[data-verdict]');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute('data-verdict'), 'intact');
  assert.match(await verdict.innerText(), /Chain intact\. \d+ entries checked/);
  await shot(page, 'console-audit-filtered');
});

test('the new pages work at phone width in dark mode without sideways scrolling, from the keyboard', async () => {
  const phone = await isolatedPage(browser, steward, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await phone.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
  const { page } = phone;
  for (const [path, heading] of [['config', 'Configuration'], ['analytics', 'Analytics'], [`plans/${encodeURIComponent(pro)}`, 'Plan: Pro'], ['audit', 'Audit log']]) {
    await page.goto(`${steward.url}/admin/${path}`);
    await page.getByRole('heading', { name: heading }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(overflow, 0, `${path} does not scroll sideways`);
  }
  await page.goto(`${steward.url}/admin/config`);
  await page.getByRole('heading', { name: 'Configuration' }).waitFor();
  // Keyboard: a section button opens its form with Enter.
  await page.getByRole('button', { name: 'Rate limits' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Rate limits', level: 2 }).waitFor();
  // The default group is chosen by name among the groups.
  await page.getByRole('button', { name: 'Sign-up and sign-in' }).click();
  await page.getByLabel('Group every new account joins').selectOption({ label: 'Staff' });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const auth = (await steward.gql(admin.token, '{ config { auth { defaultGroupId } } groups(first: 50, where: { name: "Staff" }) { edges { node { id } } } }'));
  assert.equal(auth.config.auth.defaultGroupId, auth.groups.edges[0].node.id);
  await shot(page, 'console-config-phone');
  assert.deepEqual(phone.foreign, []);
  assert.deepEqual(env.foreign, []);
  await phone.context.close();
});
