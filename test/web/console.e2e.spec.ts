import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEV_PASSWORD, devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';

/*
 * Issue 16: the web console in a real browser (Debian's Chromium, driven by playwright-core)
 * against the real stack: sign-in through Keycloak's own page (code flow with PKCE), a campaign
 * run from draft to completed with its funding approved by the finance officer in the console,
 * the dashboard in Arabic (right to left, the layout mirrored), a certificate verified without
 * signing in, and a viewer offered no write action. Screenshots go to var/screenshots (not
 * committed).
 */
jest.setTimeout(300_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../infra/lib/browser.js') as { ensureChromium: () => string };

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA violations on the page as it stands (axe-core, in the page). */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  );
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

const SHOTS = path.join(__dirname, '..', '..', 'var', 'screenshots');
const YEAR = new Date().getUTCFullYear();
const today = new Date().toISOString().slice(0, 10);

const gqlOk = async (stack: PlatformStack, token: string, query: string, variables: Record<string, unknown>) => {
  const r = await stack.gql(token, query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as Record<string, any>;
};

describe('the web console in a browser', () => {
  let stack: PlatformStack;
  let browser: Browser;
  let base: string;
  let certificate: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const executablePath = ensureChromium();
    stack = await startPlatformStack(['campaigns', 'finance', 'training', 'partnerships', 'advocacy'], 15900);
    base = stack.gateway.url.replace('127.0.0.1', 'localhost');
    const [director, finance, coordinator] = await Promise.all(
      ['director', 'finance-officer', 'training-coordinator'].map((u) => devToken(u as never)),
    );
    // A budget for the year, approved: the campaign's cost is requested from its awareness line.
    await gqlOk(stack, finance, `mutation($input: DraftBudgetInput!) { draftBudget(input: $input) { budget { id } } }`, {
      input: {
        fiscalYear: YEAR,
        lines: [{ programmeArea: 'AWARENESS', label: 'Campagnes nationales', allocated: { amount: '100000000', currency: 'MAD' } }],
      },
    });
    await gqlOk(stack, director, `mutation($id: ID!) { approveBudget(id: $id) { budget { id } } }`, { id: `budget-${YEAR}` });
    // A certificate to verify: a one-day session completed with one participant present.
    const module = await gqlOk(
      stack,
      coordinator,
      `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id } } }`,
      {
        input: { title: { fr: 'Droits des enfants' }, professions: ['TEACHER'], instruments: ['CRC'], hours: 6 },
      },
    );
    const moduleId = module.createTrainingModule.trainingModule.id as string;
    await gqlOk(stack, coordinator, `mutation($id: ID!) { publishTrainingModule(id: $id) { trainingModule { id } } }`, { id: moduleId });
    const scheduled = await gqlOk(
      stack,
      coordinator,
      `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { trainingSession { id } } }`,
      {
        input: {
          moduleId,
          trainers: ['Formatrice'],
          region: 'MA-03',
          venue: 'Fès',
          startDate: today,
          endDate: today,
          capacity: 5,
          passMark: 50,
        },
      },
    );
    const session = scheduled.scheduleTrainingSession.trainingSession.id as string;
    const enrolled = await gqlOk(
      stack,
      coordinator,
      `mutation($id: ID!, $input: ParticipantInput!) { enrolParticipant(sessionId: $id, input: $input) { trainingSession { participants { id } } } }`,
      {
        id: session,
        input: {
          fullName: 'Salma Console-Test',
          institution: 'École',
          sex: 'F',
          ageGroup: 'AGE_25_34',
          profession: 'TEACHER',
          region: 'MA-03',
        },
      },
    );
    const participant = enrolled.enrolParticipant.trainingSession.participants[0].id as string;
    await gqlOk(stack, coordinator, `mutation($id: ID!) { startTrainingSession(id: $id) { trainingSession { id } } }`, { id: session });
    await gqlOk(
      stack,
      coordinator,
      `mutation($id: ID!, $day: Date!, $present: [ID!]!) { recordAttendance(sessionId: $id, day: $day, presentParticipantIds: $present) { trainingSession { id } } }`,
      {
        id: session,
        day: today,
        present: [participant],
      },
    );
    await gqlOk(
      stack,
      coordinator,
      `mutation($id: ID!, $p: ID!) { recordAssessment(sessionId: $id, participantId: $p, phase: POST, score: 80) { trainingSession { id } } }`,
      { id: session, p: participant },
    );
    const completed = await gqlOk(
      stack,
      coordinator,
      `mutation($id: ID!) { completeTrainingSession(id: $id) { trainingSession { certificates { code } } } }`,
      { id: session },
    );
    certificate = completed.completeTrainingSession.trainingSession.certificates[0].code as string;

    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  // The last page of each test, as it was at the end (what a failure looked like).
  let current: Page | undefined;
  afterEach(async () => {
    const name = (expect.getState().currentTestName ?? 'test').replace(/\W+/g, '-').slice(-60);
    if (current) await shot(current, `end-${name}`).catch(() => undefined);
    current = undefined;
  });

  /** A browser of its own for a user, signed in through Keycloak's login page. */
  async function signIn(user: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    current = page;
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`error: ${e.message}`));
    await page.goto(`${base}/console/`);
    await page.locator('#username').fill(user);
    await page.locator('#password').fill(DEV_PASSWORD);
    await page.locator('#kc-login').click();
    try {
      await page.getByText(`Connecté : ${user}`).waitFor({ timeout: 20_000 });
    } catch (e) {
      await shot(page, `sign-in-failed-${user}`);
      throw new Error(
        `${user} not signed in at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 500)} | ${logs.join(' | ')}`,
        {
          cause: e,
        },
      );
    }
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  let campaignUrl = '';

  it('runs a campaign from draft to planned, its funding requested', async () => {
    const page = await signIn('campaign-manager');
    await page.getByRole('link', { name: 'Campagnes' }).click();
    await page.getByTestId('new-campaign').click();
    await page.getByLabel('Titre (français)').fill('Caravane console');
    await page.getByLabel('Thème').fill('droits des enfants');
    await page.getByRole('combobox', { name: 'Régions' }).click({ force: true });
    await page.getByRole('option', { name: 'MA-03', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Début').fill(`${YEAR}-12-10`);
    await page.getByLabel('Fin').fill(`${YEAR}-12-20`);
    await page.getByLabel('Coût estimé (MAD)').fill('1500');
    // A campaign manager does not read finance: the line is given by its id.
    await page.getByLabel('Ligne budgétaire').fill(`budget-${YEAR}.line-1`);
    await shot(page, 'campaign-form');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByTestId('campaign-status').getByText('Brouillon').waitFor();
    campaignUrl = page.url();
    await page.getByRole('button', { name: 'Planifier' }).click();
    await page.getByTestId('campaign-status').getByText('Planifiée').waitFor();
    await page.getByTestId('funding-status').getByText('Demandé').waitFor();
    // Launching before the funding is approved: refused, the rule in words (not a code), nothing changed.
    await page.getByRole('button', { name: 'Lancer' }).click();
    await page.getByTestId('error').getByText('Le financement demandé doit être approuvé avant le lancement.').waitFor();
    await expect(page.getByTestId('campaign-status').innerText()).resolves.toMatch(/planifiée/i);
    await shot(page, 'campaign-planned');
  });

  it('has the funding approved by the finance officer in the console', async () => {
    const campaignId = campaignUrl.split('/').pop()!;
    const page = await signIn('finance-officer');
    await page.getByRole('link', { name: 'Engagements' }).click();
    const row = page.locator(`tr[data-source="${campaignId}"]`);
    await eventually(
      'the commitment listed',
      async () => {
        if ((await row.count()) === 0) await page.reload();
        return (await row.count()) === 1;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    await shot(page, 'commitments');
    await row.getByRole('button', { name: 'Approuver' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('launches, holds an activity and completes the campaign', async () => {
    const page = await signIn('campaign-manager');
    await page.goto(campaignUrl);
    await eventually(
      'the funding approved',
      async () => {
        await page.reload();
        return (await page.getByTestId('funding-status').innerText()).includes('Approuvé');
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    await page.getByRole('button', { name: 'Lancer' }).click();
    await page.getByTestId('campaign-status').getByText('En cours').waitFor();
    const schedule = page.getByRole('form', { name: 'Programmer une activité' });
    await schedule.getByLabel('Date').fill(`${YEAR}-12-12`);
    await schedule.getByRole('button', { name: 'Enregistrer' }).click();
    const held = page.getByRole('form', { name: 'Activité tenue' });
    await held.waitFor();
    await held.getByLabel('Femmes').fill('12');
    await held.getByLabel('Hommes').fill('9');
    await held.getByRole('button', { name: 'Activité tenue' }).click();
    await page.getByTestId('activities').getByText('21').waitFor();
    await page.getByRole('button', { name: 'Clôturer' }).click();
    await page.getByTestId('campaign-status').getByText('Terminée').waitFor();
    await shot(page, 'campaign-completed');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('runs a training session: module, enrolment, attendance, scores, certificates', async () => {
    const page = await signIn('training-coordinator');
    await page.getByRole('link', { name: 'Formation' }).click();
    const moduleForm = page.getByRole('form', { name: 'Nouveau module' });
    await moduleForm.getByLabel('Titre du module').fill('Droits des personnes âgées');
    await moduleForm.getByRole('combobox', { name: 'Professions visées' }).click({ force: true });
    await page.getByRole('option', { name: 'Travailleurs sociaux' }).click();
    await page.keyboard.press('Escape');
    await moduleForm.getByRole('button', { name: 'Nouveau module' }).click();
    const row = page.getByTestId('modules').getByRole('row', { name: /Droits des personnes âgées/ });
    await row.getByRole('button', { name: 'Publier' }).click();
    await row.getByText('Publié').waitFor();
    const sessionForm = page.getByRole('form', { name: 'Programmer une session' });
    await sessionForm
      .getByRole('textbox', { name: 'Module' })
      .or(sessionForm.getByRole('combobox', { name: 'Module' }))
      .click();
    await page.getByRole('option', { name: 'Droits des personnes âgées' }).click();
    await sessionForm.getByLabel('Lieu').fill('Rabat');
    await sessionForm.getByLabel('Début').fill(today);
    await sessionForm.getByLabel('Fin').fill(today);
    await sessionForm.getByLabel(/^Formateurs/).fill('Formatrice B');
    await sessionForm.getByRole('button', { name: 'Programmer' }).click();
    await page.getByTestId('session-status').getByText('Programmée').waitFor();
    const enrol = page.getByRole('form', { name: 'Inscrire' });
    for (const name of ['Nadia Console-Test', 'Omar Console-Test']) {
      await enrol.getByLabel('Nom complet').fill(name);
      await enrol.getByLabel('Institution').fill('Ministère de la Solidarité');
      await enrol.getByRole('button', { name: 'Inscrire' }).click();
      await page.getByTestId('participants').getByText(name).waitFor();
    }
    await page.getByRole('button', { name: 'Démarrer la session' }).click();
    await page.getByTestId('session-status').getByText('En cours').waitFor();
    await page.getByRole('checkbox', { name: 'Nadia Console-Test' }).check();
    await page.getByRole('checkbox', { name: 'Omar Console-Test' }).check();
    await page.getByRole('form', { name: 'Enregistrer les présences du jour' }).getByLabel('Jour').fill(today);
    await page.getByRole('button', { name: 'Enregistrer les présences du jour' }).click();
    await page.getByTestId('participants').getByText('100 %').first().waitFor();
    for (const name of ['Nadia Console-Test', 'Omar Console-Test']) {
      // One action at a time, as a person does: the next starts once the session shows the new version.
      const version = Number((await page.getByText(/^Version \d+$/).innerText()).replace(/\D/g, ''));
      await page.getByLabel(`Note finale — ${name}`).fill('85');
      await page
        .getByRole('row', { name: new RegExp(name) })
        .getByRole('button', { name: 'Enregistrer' })
        .click();
      await page.getByText(`Version ${version + 1}`, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'Clôturer la session' }).click();
    await page.getByTestId('session-status').getByText('Terminée').waitFor();
    await expect(page.getByTestId('certificates').getByRole('row').count()).resolves.toBe(2);
    await shot(page, 'training-session');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('reads the dashboard in Arabic: right to left, the layout mirrored', async () => {
    const page = await signIn('director');
    await page.getByTestId('indicators').waitFor();
    await page.getByTestId('language').click();
    await page.getByRole('option', { name: 'العربية' }).click();
    await page.getByRole('heading', { name: `المؤشرات ${YEAR}` }).waitFor();
    expect(await Promise.all([page.locator('html').getAttribute('dir'), page.locator('html').getAttribute('lang')])).toEqual(['rtl', 'ar']);
    // Mirrored: the navigation is on the right of the content.
    const nav = (await page.locator('nav').first().boundingBox())!;
    const main = (await page.locator('main').boundingBox())!;
    expect(nav.x).toBeGreaterThan(main.x);
    // The campaign's 21 people reached, once the reporting projections have read its events (reloading, as a person would).
    const awr = page.getByTestId('indicators').locator('tr[data-code="AWR-01"]');
    await eventually(
      'AWR-01 counting the campaign’s 21 people',
      async () => {
        if ((await awr.innerText()).includes('21')) return true;
        await page.reload();
        await awr.waitFor();
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await shot(page, 'dashboard-ar');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('verifies a certificate without signing in', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/console/verify?code=${encodeURIComponent(certificate)}`);
    // The keyboard alone: Tab to the code field (skip link, language, field), Enter submits.
    await page.getByRole('button', { name: 'Vérifier' }).waitFor();
    for (let i = 0; i < 10 && !(await page.getByLabel('Code du certificat').evaluate((el) => el === el.ownerDocument.activeElement)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('verification').innerText()).resolves.toContain('Certificat valide');
    await shot(page, 'verify');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Code du certificat').fill('HRP-NOT-A-CODE');
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByTestId('verification').getByText('Aucun certificat valide').waitFor();
  });

  it('registers a partner and opens an advocacy dossier', async () => {
    const officer = await signIn('partnership-officer');
    await officer.getByRole('link', { name: 'Partenariats' }).click();
    const register = officer.getByRole('form', { name: 'Enregistrer un partenaire' });
    await register.getByLabel(/^Nom/).fill('Association Console');
    await register.getByRole('button', { name: 'Enregistrer un partenaire' }).click();
    await officer.getByTestId('partners').getByText('Association Console').waitFor();
    await shot(officer, 'partnerships');
    const advocate = await signIn('advocacy-officer');
    await advocate.getByRole('link', { name: 'Plaidoyer' }).click();
    const open = advocate.getByRole('form', { name: 'Ouvrir un dossier' });
    await open.getByLabel(/^Sujet/).fill('Accès à la justice');
    await open.getByRole('button', { name: 'Ouvrir un dossier' }).click();
    await advocate.getByTestId('dossiers').getByText('Accès à la justice').waitFor();
    await shot(advocate, 'advocacy');
    expect(await accessibilityViolations(advocate)).toEqual([]);
  });

  it('shows the auditor the campaign’s history and verifies the log', async () => {
    const campaignId = campaignUrl.split('/').pop()!;
    const page = await signIn('auditor');
    await page.getByRole('link', { name: 'Journal d’audit' }).click();
    const filter = page.getByRole('form', { name: 'Filtrer le journal' });
    await filter.getByLabel('Flux').fill(campaignId);
    await filter.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByTestId('audit').getByText('CampaignCompleted').waitFor();
    await expect(page.getByTestId('audit').getByText('CampaignCreated').count()).resolves.toBe(1);
    await filter.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
    await page.getByTestId('audit-verification').getByText('Journal intact').waitFor();
    expect(await page.getByTestId('new-campaign').count()).toBe(0);
    await shot(page, 'audit');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('lets an admin provision a regional officer, and shows an admin no business screen', async () => {
    const page = await signIn('admin');
    expect(await page.getByRole('link', { name: 'Campagnes' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Utilisateurs' }).click();
    const form = page.getByRole('form', { name: 'Créer un utilisateur' });
    const username = `console-${Date.now().toString(36)}`;
    await form.getByLabel(/^Identifiant/).fill(username);
    await form.getByLabel(/^Courriel/).fill(`${username}@example.org`);
    await form.getByLabel(/^Prénom/).fill('Rania');
    await form.getByLabel(/^Nom/).fill('Console');
    await form.getByRole('combobox', { name: 'Rôles' }).click({ force: true });
    await page.getByRole('option', { name: 'regional-officer', exact: true }).click();
    await page.keyboard.press('Escape');
    await form
      .getByRole('textbox', { name: 'Région' })
      .or(form.getByRole('combobox', { name: 'Région' }))
      .click();
    await page.getByRole('option', { name: 'MA-03', exact: true }).click();
    await form.getByRole('button', { name: 'Créer un utilisateur' }).click();
    const row = page.getByTestId('users').getByRole('row', { name: new RegExp(username) });
    await row.getByText('MA-03').waitFor();
    await shot(page, 'users');
  });

  it('offers a viewer no write action', async () => {
    const page = await signIn('viewer');
    await page.getByRole('link', { name: 'Campagnes' }).click();
    await page.getByTestId('campaign-count').waitFor();
    expect(await page.getByTestId('new-campaign').count()).toBe(0);
    await page.goto(campaignUrl);
    await page.getByTestId('campaign-status').waitFor();
    expect(await page.getByTestId('campaign-actions').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Engagements' }).count()).toBe(0);
    await shot(page, 'viewer-campaign');
    for (const [link, form, loaded] of [
      ['Formation', 'Nouveau module', 'session-count'],
      ['Partenariats', 'Enregistrer un partenaire', 'partner-count'],
      ['Plaidoyer', 'Ouvrir un dossier', 'dossiers'],
    ]) {
      await page.getByRole('link', { name: link }).click();
      // The page's data is shown (the forms render with it): only then is "no form" a finding.
      await page.getByTestId(loaded).waitFor({ state: 'attached' });
      expect([link, await page.getByRole('form', { name: form }).count()]).toEqual([link, 0]);
    }
  });
});
