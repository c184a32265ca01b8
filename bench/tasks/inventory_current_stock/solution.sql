-- MySQL spelling
SELECT i.`sku`,
       i.`name`,
       i.`stock` AS start_stock,
       IFNULL(m.net, 0) AS net_change,
       i.`stock` + IFNULL(m.net, 0) AS current_stock
FROM `items` AS i
LEFT JOIN (
  SELECT `sku`, SUM(`delta`) AS net
  FROM `movements`
  GROUP BY `sku`
) AS m ON m.`sku` = i.`sku`
ORDER BY i.`sku`;
