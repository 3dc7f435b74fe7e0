import { z } from "zod";
import { ROLES } from "../authz/capabilities";
import { emailSchema } from "../auth/password-rules";

export const roleSchema = z.enum(ROLES, "Choose a role: owner, admin, developer, editor or viewer");

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({
  userId: z.uuid("Unknown member"),
  role: roleSchema,
  // The role the form showed: if it changed meanwhile, the form is stale.
  expectedRole: roleSchema.optional(),
});
export const memberTargetSchema = z.object({ userId: z.uuid("Unknown member") });
export const invitationTargetSchema = z.object({ invitationId: z.uuid("Unknown invitation") });

export const MEMBER_SORTS = ["name", "email", "role", "joined", "lastActive"] as const;
export const memberQuerySchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: roleSchema.optional().catch(undefined),
  mfa: z.enum(["on", "off"]).optional().catch(undefined),
  sort: z.enum(MEMBER_SORTS).default("joined").catch("joined"),
  dir: z.enum(["asc", "desc"]).default("asc").catch("asc"),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  size: z.coerce.number().int().min(10).max(100).default(25).catch(25),
});
export type MemberQuery = z.output<typeof memberQuerySchema>;
