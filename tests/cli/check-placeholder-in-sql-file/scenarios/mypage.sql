SELECT * FROM profiles WHERE user_id = :user_id;
