"""Pages for meetings: thin views that parse, call a service or selector, and render."""
