/**
 * Drives the browser page the way a user does: wait for the model to load, pick an image file, wait for the
 * answer, and read what the page published on window.actprobe (state, top classes, layer statistics…).
 */
import type { Page } from 'playwright-core';

type Published = { state: string };

async function untilState(page: Page, states: string[]): Promise<void> {
  await page.waitForFunction(
    (wanted) => wanted.includes((window as unknown as { actprobe: Published }).actprobe.state),
    states,
    { timeout: 60_000 },
  );
}

/** Classifies `file` in the page already opened on `page`; resolves to window.actprobe once done (or failed). */
export async function classifyInPage<T extends Published>(page: Page, file: string): Promise<T> {
  await untilState(page, ['ready', 'error']);
  await page.setInputFiles('#file', file);
  await untilState(page, ['done', 'error']);
  return (await page.evaluate(() => (window as unknown as { actprobe: Published }).actprobe)) as T;
}
