/** Dataset files generated from MNIST, for the tests of this lib and of the trainer's upload routes. */
export * from './dataset-fixtures';
export { buildZip, type ZipEntryInput } from './zip-writer';
