import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/* The training and tuning forms, filled the way the browser tests start their small jobs. */

/**
 * On the training page: one epoch of a small CNN (8 filters, 32 dense units, batches of 16) on
 * `digits` training digits of the dataset already chosen. The caller starts the job.
 */
export async function fillSmallCnn(page: Page, digits: number): Promise<void> {
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Training digits limit (optional)').fill(String(digits));
  await page.getByLabel('filters').fill('8');
  await page.getByLabel('dense').fill('32');
  await page.getByLabel('batch_size').fill('16');
}

/**
 * On the tuning page: a three-point grid over the SVM's C alone (0.5 to 50, kernel and gamma
 * fixed), three trials of `digits` MNIST digits each; the form opens on the svm's default space.
 * The caller starts the study.
 */
export async function fillSvmGridOverC(page: Page, digits: number): Promise<void> {
  await page.getByLabel('Lowest C').waitFor();
  expect(await page.getByLabel('Model family').inputValue()).toBe('svm');
  expect(await page.getByLabel('Search method').inputValue()).toBe('grid');
  await page.getByLabel('Search kernel').uncheck();
  await page.getByLabel('Search gamma').uncheck();
  await page.getByLabel('Lowest C').fill('0.5');
  await page.getByLabel('Highest C').fill('50');
  await page.getByLabel('Points per range (grid)').fill('3');
  await page.getByLabel('Budget: trials').fill('3');
  await page.getByLabel('Training digits limit (optional)').fill(String(digits));
}
