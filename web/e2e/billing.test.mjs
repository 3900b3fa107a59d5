// Plans, the live usage view and the analytics dashboard in a real browser: create a plan (after
// a refused one shows its field error), assign it, record usage through the API and watch the
// live view and the dashboard change without reloading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSteward, launchBrowser, isolatedPage, shot, subscribeSent } from './harness.mjs';

const password = 'correct horse battery staple';
let steward, browser, admin, user, env;

before(async () => {
  steward = await startSteward();
  browser = await launchBrowser();
  admin = await steward.signup('Ada Admin', 'ada@example.com', password);
  user = await steward.signup('Uma User', 'uma@example.com', password);
  await steward.gql(admin.token, 'mutation($id: ID!) { updateUser(id: $id, input: { role: USER }) { id } }', { id: user.id });
  env = await isolatedPage(browser, steward, { viewport: { width: 1280, height: 900 } });
  await env.context.addCookies([{ name: 'token', value: admin.token, url: steward.url, httpOnly: true }]);
});
after(async () => {
  await browser?.close();
  await steward?.stop();
});

const recordUsage = (amount) =>
  steward.gql(admin.token, 'mutation($i: RecordUsageInput!) { recordUsage(input: $i) { event { id } } }', {
    i: { userId: user.id, metric: 'TOKENS_INPUT', amount },
  });

test('a plan with a bad price shows the error at the price, then a good one is created and assigned', async () => {
  const { page } = env;
  await page.goto(`${steward.url}/admin/plans`);
  await page.getByRole('heading', { name: 'Plans' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Pro');
  await page.getByLabel('Price per interval').fill('-5');
  await page.getByLabel('Input tokens per period').fill('1000');
  await page.getByRole('button', { name: 'Create plan' }).click();
  await page.locator('#plan-price-error').waitFor();
  assert.equal(await page.getByLabel('Price per interval').getAttribute('aria-invalid'), 'true');
  await shot(page, 'console-plan-field-error');
  assert.equal((await steward.gql(admin.token, '{ plans(includeInactive: true) { id } }')).plans.length, 0);

  await page.getByLabel('Price per interval').fill('20.00');
  await page.getByRole('button', { name: 'Create plan' }).click();
  const row = page.locator('tr[data-plan="Pro"]');
  await row.waitFor();
  await row.getByLabel('Email of a user to put on Pro').fill('uma@example.com');
  // Paid outside steward, so it counts in MRR (an assignment is complimentary otherwise).
  await row.getByLabel('Paid outside steward').check();
  await row.getByRole('button', { name: 'Assign' }).click();
  await row.getByText('uma@example.com is on Pro.').waitFor();
  await row.locator('td', { hasText: /^1$/ }).waitFor();
  await shot(page, 'console-plans');
});

test('the live usage view shows recorded usage and the quota alert as they happen', async () => {
  const { page } = env;
  const live = subscribeSent(page);
  await page.getByRole('link', { name: 'Live usage' }).click();
  await page.getByRole('heading', { name: 'Live usage' }).waitFor();
  await live;
  await recordUsage(850);
  const row = page.locator(`tr[data-usage="${user.id}/TOKENS_INPUT"]`);
  await row.waitFor();
  assert.equal(await row.locator('td[data-used]').innerText(), '850');
  await page.locator('li[data-alert="80"]').waitFor();
  await shot(page, 'console-live-usage');
});

test('the dashboard shows MRR and usage, and changes when usage is recorded', async () => {
  const { page } = env;
  const live = subscribeSent(page);
  await page.getByRole('link', { name: 'Analytics' }).click();
  await page.getByRole('heading', { name: 'Analytics' }).waitFor();
  const tokens = page.locator('[data-figure="tokens-input"]');
  await tokens.waitFor();
  assert.equal(await tokens.innerText(), '850');
  assert.match(await page.locator('[data-figure="mrr"]').innerText(), /20(\.00)? USD/);
  assert.equal(await page.locator('[data-figure="active"]').innerText(), '1');
  await page.locator('figure.chart canvas').first().waitFor();
  await live;
  await recordUsage(100);
  await page.locator('[data-figure="tokens-input"]', { hasText: /^950$/ }).waitFor();
  await shot(page, 'console-analytics');
  assert.deepEqual(env.foreign, []);
});
