/**
 * Starts the SimplyCaster demo: `npm start` serves it on embedded PGlite at http://localhost:3000;
 * DATABASE_URL selects PostgreSQL; PORT picks the port.
 *
 * As one of several instances behind a balancer (docs/deploying.md): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * sends spans to the team's backend (FLOWTRACE_EXPORT_QUEUE_SIZE caps its queue), FLOWTRACE_STORE=off
 * keeps none in the process, FLOWTRACE_JAEGER_QUERY_URL points the viewer at Jaeger's query service, and
 * SIMPLYCASTER_ROOM_BUS=postgres joins the signalling of every instance on the shared PostgreSQL.
 */
import { startDemo } from './start.ts';

await startDemo();
