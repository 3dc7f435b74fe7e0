"use client";

import { useActionState } from "react";
import { renameAgent } from "@/lib/actions/agents/rename-agent";
import { setAgentState } from "@/lib/actions/agents/set-agent-state";
import { updateAgentBudget } from "@/lib/actions/agents/update-agent-budget";
import { idle } from "@/lib/actions/action-state";
import type { AgentRow } from "@/lib/agents/list-agents";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { AgentFormDialog } from "./agent-form-dialog";
import { BudgetFields } from "./budget-fields";

/** The controls a row offers: only those the viewer's role allows (the server checks again). */
export function AgentRowActions({ workspace, agent, canManage, canBudget }: { workspace: string; agent: AgentRow; canManage: boolean; canBudget: boolean }) {
  const [stateResult, stateAction, statePending] = useActionState(setAgentState, idle);
  const hidden = { workspace, agentId: agent.id };
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {canManage ? (
        <AgentFormDialog trigger="Rename" title={`Rename ${agent.name}`} action={renameAgent} submitLabel="Rename" hidden={hidden}>
          {(errors, values, fieldId) => <Field label="Name" id={fieldId("name")} name="name" required defaultValue={values.name ?? agent.name} errors={errors.name} autoComplete="off" />}
        </AgentFormDialog>
      ) : null}
      {canBudget ? (
        <>
          <AgentFormDialog trigger="Budget" title={`Budget of ${agent.name}`} action={updateAgentBudget} submitLabel="Save budget" hidden={hidden}>
            {(errors, values, fieldId) => (
              <BudgetFields
                errors={errors}
                fieldId={fieldId}
                defaults={{
                  dailyCap: values.dailyCap ?? agent.dailyCap,
                  timeZone: values.timeZone ?? agent.timeZone,
                  alertThresholds: values.alertThresholds ?? agent.alertThresholds.join(", "),
                  unpricedPolicy: values.unpricedPolicy ?? agent.unpricedPolicy,
                }}
              />
            )}
          </AgentFormDialog>
          <form action={stateAction}>
            <input type="hidden" name="workspace" value={workspace} />
            <input type="hidden" name="agentId" value={agent.id} />
            <input type="hidden" name="state" value={agent.state === "paused" ? "active" : "paused"} />
            <Button type="submit" variant="secondary" pending={statePending}>
              {agent.state === "paused" ? "Resume" : "Pause"}
            </Button>
          </form>
          <ConfirmDialog trigger="Archive" title={`Archive ${agent.name}?`} confirmLabel="Archive agent" action={stateAction} hidden={{ ...hidden, state: "archived" }}>
            Its authorizations are refused from now on and its name becomes free for a new agent. Archiving cannot be undone; its usage history stays.
          </ConfirmDialog>
        </>
      ) : null}
      {stateResult.status === "error" ? (
        <p role="alert" className="basis-full text-right text-sm text-red-600 dark:text-red-400">
          {stateResult.error}
        </p>
      ) : null}
    </div>
  );
}
