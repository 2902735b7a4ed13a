UPDATE works SET status = 0;
