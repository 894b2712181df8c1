CREATE TABLE applied_before_the_broken_one (id int PRIMARY KEY);
