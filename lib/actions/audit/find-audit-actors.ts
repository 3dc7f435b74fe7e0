"use server";

import { z } from "zod";
import { workspaceAction } from "../workspace-action";
import { findAuditActors as find } from "../../audit/audit-actors";
import { safeText } from "../../validation/safe-input";

// The audit page's actor filter asks as the person types. It names members and
// keys, so it is for those who read the log; it changes nothing, so nothing is
// rendered afresh.
export const findAuditActors = workspaceAction(
  "audit.read",
  z.object({ query: safeText({ max: 100 }).pipe(z.string().min(1, "Type part of a name, an email or a key prefix")) }),
  async ({ input, tx, membership }) => find(tx, membership.workspaceId, input.query),
  { revalidate: false },
);
