"use client";

import { createChangeNotice } from "@/components/ui/change-notice";

// A removed member's row is gone by the time the answer arrives.
const notice = createChangeNotice("member-notice");
export const announceMemberChange = notice.announce;
export const MemberNotice = notice.ChangeNotice;
