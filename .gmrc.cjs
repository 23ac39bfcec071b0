// graphile-migrate settings for the developer CLI (`npm run db -- watch|commit|reset`).
// Connection strings come from the environment (scripts/db.ts fills them in from lib/config.ts);
// production and `npm run migrate` call graphile-migrate's migrate() with these same settings.
module.exports = {
  pgSettings: { search_path: "app_public,app_private,app_hidden,public" },
  placeholders: {},
  beforeReset: [{ _: "command", command: "node --import tsx scripts/setup.ts --roles-only" }],
  afterReset: [
    "!afterReset.sql",
    { _: "command", command: "npx --no-install graphile-worker --schema-only -c \"$GM_DBURL\"" },
  ],
  afterAllMigrations: [],
  migrationsFolder: "./migrations",
};
