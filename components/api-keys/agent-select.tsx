const CONTROL = "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900";

/** Binds a runtime key to one agent: it then acts only for that agent. The server checks the agent is this workspace's. */
export function AgentSelect({ agents, errors }: { agents: { id: string; name: string }[]; errors?: string[] }) {
  return (
    <div className="max-w-md space-y-1">
      <label htmlFor="field-agentId" className="block text-sm font-medium">
        Agent
      </label>
      <select
        id="field-agentId"
        name="agentId"
        defaultValue=""
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? "field-agentId-error" : "field-agentId-hint"}
        className={CONTROL}
      >
        <option value="">Any agent</option>
        {agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} only
          </option>
        ))}
      </select>
      {errors?.length ? (
        <p id="field-agentId-error" className="text-sm text-red-600 dark:text-red-400">
          {errors[0]}
        </p>
      ) : (
        <p id="field-agentId-hint" className="text-sm text-zinc-500">
          A key bound to an agent can spend and report usage for that agent only.
        </p>
      )}
    </div>
  );
}
