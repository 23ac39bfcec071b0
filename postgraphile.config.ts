// The API preset (PostGraphile v5). Minimal for now: the generated schema over app_public as
// the authenticator, every request anonymous. The API issue adds JWT → pgSettings (role and
// app.user_id from the verified token only), plugins and the server around it (api/).
import "./lib/polyfills.ts";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { EXPOSED_SCHEMAS, ROLES, loadConfig } from "./lib/config.ts";

const config = loadConfig();

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: config.authenticatorUrl, schemas: [...EXPOSED_SCHEMAS] })],
  grafast: {
    context: () => ({ pgSettings: { role: ROLES.anonymous } }),
  },
};

export default preset;
