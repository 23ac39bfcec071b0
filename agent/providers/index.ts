// Picks the provider and model for a turn: the user's assistant config (or the server default),
// within the models their plan allows, with keys only from the environment. Clients are made once
// per provider and reused; a provider's SDK is loaded the first time someone uses it.
import type { AgentConfig, ProviderName } from "../../lib/config.ts";
import { createLocalProvider } from "./local.ts";
import type { ModelProvider } from "./types.ts";

export type ProviderChoice = { ok: true; provider: ModelProvider; model: string } | { ok: false; message: string };

export class Providers {
  private readonly made = new Map<ProviderName, ModelProvider>();

  constructor(private readonly config: AgentConfig) {}

  private get(name: ProviderName): ModelProvider {
    let provider = this.made.get(name);
    if (!provider) {
      const options = { timeoutMs: this.config.modelTimeoutMs };
      const { openai, anthropic } = this.config;
      provider = name === "openai" ? lazy("openai", async () => (await import("./openai.ts")).createOpenAIProvider(openai, options))
        : name === "anthropic" ? lazy("anthropic", async () => (await import("./anthropic.ts")).createAnthropicProvider(anthropic, options))
        : createLocalProvider();
      this.made.set(name, provider);
    }
    return provider;
  }

  choose(name: ProviderName, model: string | null, allowedModels: string[]): ProviderChoice {
    if (name === "local") return { ok: true, provider: this.get("local"), model: "local" };
    const endpoint = this.config[name];
    if (!endpoint.apiKey && !endpoint.baseUrl) {
      const key = name === "openai" ? "OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server such as Ollama)" : "ANTHROPIC_API_KEY";
      return { ok: false, message: `The ${name} provider is not set up on this server: the administrator must set ${key}. ` +
        "Until then, choose the local provider in your assistant settings." };
    }
    // As the database's check on the assistant config: only a model the plan lists. A stored model
    // the plan no longer lists (a lapsed subscription) gives way to the server's default if listed.
    const chosen = [model, endpoint.model].find((m): m is string => m !== null && allowedModels.includes(m));
    if (!chosen) {
      const wanted = model ?? endpoint.model;
      return { ok: false, message: `Your plan does not include the model ${wanted}. ` +
        (allowedModels.length > 0 ? `Models in your plan: ${allowedModels.join(", ")}.` : "Your plan includes no model.") };
    }
    return { ok: true, provider: this.get(name), model: chosen };
  }
}

function lazy(name: "openai" | "anthropic", load: () => Promise<ModelProvider>): ModelProvider {
  let loaded: Promise<ModelProvider> | null = null;
  return {
    name,
    async complete(request) {
      loaded ??= load();
      return (await loaded).complete(request);
    },
  };
}
