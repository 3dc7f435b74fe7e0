import { notFound } from "next/navigation";
import { uuidId } from "@/lib/validation/safe-input";

// Anything but a UUID is no secret of any workspace: a 404 before the page streams
// (a notFound() inside loading.tsx's boundary would come after a 200 had been sent),
// and never a database error.
export default async function SecretLayout({ children, params }: { children: React.ReactNode; params: Promise<{ secret: string }> }) {
  if (!uuidId("").safeParse((await params).secret).success) notFound();
  return children;
}
