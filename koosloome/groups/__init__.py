"""Group registration: a community contact (a social worker, a care home's activity lead, a
village society's chair) registers several people at once, each with their own needs, and
manages them through one group link."""
