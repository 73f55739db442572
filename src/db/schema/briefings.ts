/** Tables of the briefings area (see docs/architecture.md, "Database"). */
export {};
