"""The programme overview for admins: what the programme counts, by place and month, within their scope."""
