/** Tables of the learning area (see docs/architecture.md, "Database"). */
export {};
