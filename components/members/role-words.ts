import type { Role } from "@/lib/generated/prisma/enums";

/** "an admin", "a viewer": a role as a sentence says it. */
export const withArticle = (role: Role | string) => `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;
