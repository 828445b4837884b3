/** The version the MySQL and MariaDB connector plugins report (ferry's own release). */
export const MYSQL_CONNECTOR_VERSION = '0.1.0';
