/**
 * Starts the SimplyCaster demo: `npm start` serves it on embedded PGlite at http://localhost:3000;
 * DATABASE_URL selects PostgreSQL; PORT picks the port.
 */
import { startDemo } from './start.ts';

await startDemo();
