/** Tables of the signals area (see docs/architecture.md, "Database"). */
export {};
