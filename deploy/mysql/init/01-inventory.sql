-- The sample shop the pipeline captures. The MySQL image runs this file once, on first start
-- (an empty data directory), with the `mysql` client; the end-to-end test runs the same file
-- against a private MariaDB with the `mariadb` client. It only uses SQL that both servers accept.

CREATE DATABASE IF NOT EXISTS inventory;
USE inventory;

-- The user ferry's CDC connector logs in as, with the grants Debezium documents. Demo password:
-- change it here and in docker-compose.yml (FERRY_MYSQL_PASSWORD and the mysql healthcheck).
CREATE USER IF NOT EXISTS 'ferry_cdc'@'%' IDENTIFIED BY 'ferry-cdc-secret';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'ferry_cdc'@'%';

CREATE TABLE customers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name VARCHAR(255) NOT NULL,
  last_name VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL UNIQUE,
  loyalty_points INT NOT NULL DEFAULT 0
) AUTO_INCREMENT = 1001;

CREATE TABLE products (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  description VARCHAR(512),
  price DECIMAL(10, 2) NOT NULL,
  stock INT NOT NULL
) AUTO_INCREMENT = 101;

CREATE TABLE orders (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  product_id INT NOT NULL,
  quantity INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers (id),
  FOREIGN KEY (product_id) REFERENCES products (id)
) AUTO_INCREMENT = 10001;

INSERT INTO customers (first_name, last_name, email) VALUES
  ('Sally', 'Thomas', 'sally.thomas@example.com'),
  ('George', 'Bailey', 'gbailey@example.com'),
  ('Edward', 'Walker', 'ed@example.com'),
  ('Anne', 'Kretchmar', 'annek@example.com');

INSERT INTO products (name, description, price, stock) VALUES
  ('scooter', 'Small 2-wheel scooter', 3.14, 120),
  ('car battery', '12V car battery', 8.10, 40),
  ('drill bits', '12-pack of drill bits with sizes ranging from #40 to #3', 0.80, 300),
  ('hammer', '12oz carpenter''s hammer', 7.75, 80),
  ('rocks', 'box of assorted rocks', 5.30, 25);

INSERT INTO orders (customer_id, product_id, quantity, status) VALUES
  (1001, 102, 1, 'shipped'),
  (1002, 105, 2, 'shipped'),
  (1003, 101, 1, 'new'),
  (1004, 103, 4, 'new');

-- A small write load, so there is always something flowing through the pipeline: every second
-- an order is placed, the oldest new order ships (the product's stock and the customer's
-- points follow), and once there are more than 100 orders the oldest shipped one is deleted.
-- MySQL runs events by default; MariaDB needs --event-scheduler=ON.
DELIMITER ;;
CREATE EVENT shop_activity ON SCHEDULE EVERY 1 SECOND DO
BEGIN
  DECLARE order_count INT;
  INSERT INTO orders (customer_id, product_id, quantity, status)
    SELECT c.id, p.id, 1 + FLOOR(RAND() * 3), 'new'
    FROM customers c, products p ORDER BY RAND() LIMIT 1;
  UPDATE orders SET status = 'shipped' WHERE status = 'new' ORDER BY id LIMIT 1;
  UPDATE products SET stock = stock - 1 WHERE stock > 0 ORDER BY RAND() LIMIT 1;
  UPDATE customers SET loyalty_points = loyalty_points + 10 ORDER BY RAND() LIMIT 1;
  SELECT COUNT(*) INTO order_count FROM orders;
  IF order_count > 100 THEN
    DELETE FROM orders WHERE status = 'shipped' ORDER BY id LIMIT 1;
  END IF;
END;;
DELIMITER ;
