"""One key per display of a create form, so that a second click or a concurrent POST of the
same page creates nothing more and lands on what the first one created."""
