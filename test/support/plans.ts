// A plan for suites that need more than the default plan allows (the seeded "free" plan pairs at
// most 5 devices, and the database refuses a sixth). Planted as the superuser like other fixtures;
// the subscription's trigger gives the user's current quota period the plan's limits at once.
import { randomUUID } from "node:crypto";
import type pg from "pg";

export interface PlanLimits {
  maxDevices?: number;
  monthlyMessages?: number;
  storageBytes?: number;
}

/** Puts the users on a new active plan with these limits (generous where not given); returns its id. */
export async function onPlan(root: pg.Pool, userIds: string[], limits: PlanLimits = {}): Promise<string> {
  const { rows } = await root.query<{ id: string }>(
    `insert into app_public.plans (slug, name, max_devices, monthly_messages, monthly_tokens, storage_bytes, allowed_models, is_active)
     values ($1, 'Test plan', $2, $3, 1000000000, $4, '{local}', false) returning id`,
    [`test-${randomUUID().slice(0, 8)}`, limits.maxDevices ?? 10_000, limits.monthlyMessages ?? 1_000_000, limits.storageBytes ?? 1e12],
  );
  const planId = rows[0]!.id;
  await root.query("update app_public.subscriptions set status = 'canceled', canceled_at = now() where user_id = any($1) and status in ('trialing', 'active')", [userIds]);
  await root.query(
    `insert into app_public.subscriptions (user_id, plan_id, status, current_period_start, current_period_end)
     select u, $2, 'active', now(), now() + interval '30 days' from unnest($1::uuid[]) u`,
    [userIds, planId],
  );
  return planId;
}
