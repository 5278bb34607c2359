// Message envelope, stream names, event routing, error codes: everything services share. Imports nothing of ours.
export {};
