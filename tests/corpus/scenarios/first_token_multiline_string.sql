'first
second';
