// The Admin screen managing the node in real Chromium: an officer (ines.moreau, enrolled in the browser) is told
// what is wrong with a malformed office code before anything is sent, creates an office (and is told how its key
// epochs get opened), creates a user with a role in it, makes an existing user a releasing officer and changes a
// clearance; the node, asked with ines's CLI session, holds all of it. At 1280 and 390 px, every control named, no
// console error, no request leaving the node.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { OfficeCode, UserId } from '../../src/cable/types.ts';
import { getUser, listMembers, listOffices } from '../../src/client/directory.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type WebNetwork } from './support/web-network.ts';

/** Controls in the main area without an accessible name (label, aria-label, aria-labelledby or text). */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = Array.from(document.querySelectorAll<HTMLElement>('main input, main select, main textarea, main button'));
    return controls
      .filter((el) => {
        const labelled = 'labels' in el && (el as HTMLInputElement).labels !== null && (el as HTMLInputElement).labels!.length > 0;
        const aria = (el.getAttribute('aria-label') ?? '').trim() !== '' || (el.getAttribute('aria-labelledby') ?? '').trim() !== '';
        const text = el.tagName === 'BUTTON' && (el.textContent ?? '').trim() !== '';
        return !(labelled || aria || text);
      })
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

async function noPageOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('web app in Chromium: the Admin screen manages offices, users, roles and clearances', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('refuses a malformed office code, creates an office and a user, adds a releasing-officer role, changes a clearance', async () => {
    const ines = await enrollInBrowser(net, 'ines.moreau');
    const { page } = ines;
    const officePosts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/offices') officePosts.push(r.url());
    });
    await page.getByRole('navigation', { name: 'Chancery' }).getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.getByTestId('office-row').first().waitFor({ timeout: 30_000 });

    // A malformed code: the core's grammar refuses it in the form, with its code, and nothing is sent.
    await page.getByLabel('Office code', { exact: true }).fill('eeas del mexico');
    await page.getByLabel('Office name', { exact: true }).fill('EU Delegation to Mexico');
    await page.getByRole('button', { name: 'Create office' }).click();
    const codeProblems = page.getByTestId('office-code-problems');
    await codeProblems.getByText('cable.office.format').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByLabel('Office code', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Office code', { exact: true }).getAttribute('aria-describedby'), 'office-code-problems');
    assert.deepEqual(officePosts, [], 'a malformed office is not sent to the node');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-office-invalid-1280.png'), fullPage: true });

    // The office, created; the page says how its key epochs get opened; the node lists it.
    await page.getByLabel('Office code', { exact: true }).fill('EEAS.DEL.MEXICO');
    await page.getByLabel('Ceiling', { exact: true }).selectOption('CONFIDENTIAL');
    await page.getByLabel('Communities', { exact: true }).fill('EU, MX');
    await page.getByRole('button', { name: 'Create office' }).click();
    const created = page.getByTestId('office-created');
    await created.waitFor({ timeout: 30_000 });
    assert.match((await created.textContent()) ?? '', /chancery epoch open --key .* --office EEAS\.DEL\.MEXICO --co-officer/);
    assert.equal(await codeProblems.textContent(), '', 'the problem is gone');
    await page.locator('[data-testid="office-row"][data-office="EEAS.DEL.MEXICO"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(officePosts.length, 1);
    const officer = await net.sessionOf('ines.moreau');
    const mexico = (await listOffices(officer)).find((o) => o.code === 'EEAS.DEL.MEXICO');
    assert.deepEqual(mexico && { name: mexico.name, ceiling: mexico.ceiling, communities: mexico.communities }, { name: 'EU Delegation to Mexico', ceiling: 'CONFIDENTIAL', communities: ['EU', 'MX'] });
    assert.deepEqual(await unnamedControls(page), [], 'every control on the Offices tab has an accessible name');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-office-created-1280.png'), fullPage: true });

    // A new user with a role in the new office; first a malformed id is refused with its code.
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByTestId('user-row').first().waitFor({ timeout: 30_000 });
    await page.getByLabel('User id', { exact: true }).fill('Rosa Martinez');
    await page.getByLabel('Full name', { exact: true }).fill('Rosa Martínez');
    await page.getByLabel('Clearance', { exact: true }).selectOption('CONFIDENTIAL');
    await page.getByLabel('Nationality', { exact: true }).fill('es');
    await page.getByLabel('Organisations', { exact: true }).fill('EU');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByTestId('user-id-problems').getByText('cable.user.format').waitFor({ timeout: 10_000 });
    await page.getByTestId('user-role-office-problems').getByText('cable.field.missing').waitFor();
    await page.getByLabel('User id', { exact: true }).fill('rosa.martinez');
    await page.getByLabel('Office', { exact: true }).selectOption('EEAS.DEL.MEXICO');
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByTestId('user-created').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="user-row"][data-user="rosa.martinez"]').waitFor({ timeout: 30_000 });
    const rosa = await getUser(officer, 'rosa.martinez' as UserId);
    assert.deepEqual(
      { name: rosa.name, clearance: rosa.clearance, nationality: rosa.nationality, organisations: rosa.organisations, memberships: rosa.memberships, active: rosa.active, frozen: rosa.frozen },
      { name: 'Rosa Martínez', clearance: 'CONFIDENTIAL', nationality: 'ES', organisations: ['EU'], memberships: [{ office: 'EEAS.DEL.MEXICO', role: 'member' }], active: true, frozen: false },
    );
    assert.deepEqual((await listMembers(officer, 'EEAS.DEL.MEXICO' as OfficeCode)).map((m) => m.user), ['rosa.martinez']);

    // An existing member made a releasing officer of his office up to CONFIDENTIAL; his other role is kept.
    await page.getByRole('button', { name: 'Add a role to tomas.novak' }).click();
    const action = page.getByTestId('user-action');
    await action.getByRole('heading', { name: 'Add a role to tomas.novak' }).waitFor();
    await action.getByLabel('Office', { exact: true }).selectOption('EEAS.DEL.WASHINGTON');
    await action.getByLabel('Role', { exact: true }).selectOption('releasing-officer');
    await action.getByLabel('Release ceiling', { exact: true }).selectOption('CONFIDENTIAL');
    assert.deepEqual(await unnamedControls(page), [], 'every control on the Users tab has an accessible name');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-add-role-1280.png'), fullPage: true });
    await action.getByRole('button', { name: 'Add role' }).click();
    await page.getByTestId('user-updated').filter({ hasText: 'tomas.novak is now releasing officer of EEAS.DEL.WASHINGTON up to CONFIDENTIAL' }).waitFor({ timeout: 30_000 });
    const tomas = await getUser(officer, 'tomas.novak' as UserId);
    const byRole = (a: { role: string }, b: { role: string }) => a.role.localeCompare(b.role);
    assert.deepEqual([...tomas.memberships].sort(byRole), [
      { office: 'EEAS.DEL.WASHINGTON', role: 'member' },
      { office: 'EEAS.DEL.WASHINGTON', role: 'releasing-officer', releaseCeiling: 'CONFIDENTIAL' },
    ]);
    await page.locator('[data-testid="user-row"][data-user="tomas.novak"]').filter({ hasText: 'releasing-officer (up to CONFIDENTIAL)' }).waitFor({ timeout: 30_000 });

    // A clearance raised: the node holds the new level, roles untouched.
    await page.getByRole('button', { name: 'Change the clearance of jan.devries' }).click();
    await action.getByLabel('New clearance', { exact: true }).selectOption('RESTRICTED');
    await action.getByRole('button', { name: 'Change clearance' }).click();
    await page.getByTestId('user-updated').filter({ hasText: "jan.devries's clearance is now RESTRICTED (was LIMITED)" }).waitFor({ timeout: 30_000 });
    const jan = await getUser(officer, 'jan.devries' as UserId);
    assert.equal(jan.clearance, 'RESTRICTED');
    assert.deepEqual(jan.memberships, [{ office: 'EEAS.HQ.AMERICAS', role: 'member' }]);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-users-managed-1280.png'), fullPage: true });

    // Peers stay read-only: the CLI command and why.
    await page.getByRole('tab', { name: 'Peers' }).click();
    const howTo = page.getByTestId('peer-how-to');
    await howTo.waitFor({ timeout: 30_000 });
    assert.match((await howTo.textContent()) ?? '', /offline[\s\S]*chancery peer add --key .* --url .* --fingerprint .* --root-key /);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-peers-managed-1280.png'), fullPage: true });

    // A phone: the forms fold to one column, the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('tab', { name: 'Offices' }).click();
    await page.getByRole('heading', { name: 'New office' }).waitFor();
    await page.getByLabel('Office code', { exact: true }).fill('EEAS..MEXICO');
    await page.getByRole('button', { name: 'Create office' }).click();
    await page.getByTestId('office-code-problems').getByText('cable.office.format').waitFor({ timeout: 10_000 });
    assert.equal(await noPageOverflow(page), true, 'no sideways scrolling at 390 px on Offices');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-offices-390.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByTestId('user-row').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Add a role to rosa.martinez' }).click();
    await action.getByLabel('Role', { exact: true }).selectOption('releasing-officer');
    assert.equal(await noPageOverflow(page), true, 'no sideways scrolling at 390 px on Users');
    assert.deepEqual(await unnamedControls(page), []);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-users-390.png'), fullPage: true });

    assert.deepEqual(officePosts.length, 1, 'the second malformed code was not sent either');
    assert.deepEqual(ines.foreign, [], 'no request leaves the node');
    assert.deepEqual(ines.errors, [], 'no console errors or refused requests');
    await ines.context.close();
  });
});
