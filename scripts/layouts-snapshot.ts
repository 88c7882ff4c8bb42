// `npm run layouts:snapshot -- <release>`: commits the storage layouts of the current upgradeable contracts as
// release <release> (deploy/storage-layouts/<release>.json). Run it when a release is deployed; from then on
// `npm test` refuses any implementation that moves or retypes a variable of it.
import { snapshotRelease } from "../deploy/storage-layouts.js";

const release = process.argv[2];
if (release === undefined || !/^v\d+(\.\d+)*$/.test(release)) {
  console.error("usage: npm run layouts:snapshot -- <release, e.g. v2>");
  process.exit(2);
}
try {
  console.log(`wrote ${snapshotRelease(release)}`);
} catch (error) {
  console.error(`layouts:snapshot: ${(error as Error).message}`);
  process.exit(1);
}
