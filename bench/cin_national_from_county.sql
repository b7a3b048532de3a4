-- National volume from the county demo, for bench/measures_engine.py --orm: 32 more
-- copies of every CIN child with its episodes, assessments, section 47 enquiries and
-- plans, under new LA child IDs (X01... instead of S00...). Run on a copy:
--   createdb -h 127.0.0.1 -U postgres -T safeguarding_bench safeguarding_bench_national
--   psql -h 127.0.0.1 -U postgres safeguarding_bench_national -f bench/cin_national_from_county.sql
-- Imports are not touched, so cached results there are wrongly "current": the
-- benchmark rebuilds them.
\timing on
CREATE TEMP TABLE copies AS SELECT k, 'X' || lpad(k::text, 2, '0') AS prefix FROM generate_series(1, 32) k;
INSERT INTO datasets_cinchild (la_child_id, pseudonym, upn, former_upn, upn_unknown, birth_date, expected_birth_date, gender, death_date, ethnicity, disabilities, first_year, last_year, child_id, local_authority_id, partnership_id, source_return_id)
SELECT c.prefix || substr(x.la_child_id, 4), x.pseudonym, '', '', x.upn_unknown, x.birth_date, x.expected_birth_date, x.gender, x.death_date, x.ethnicity, x.disabilities, x.first_year, x.last_year, NULL, x.local_authority_id, x.partnership_id, x.source_return_id
FROM datasets_cinchild x CROSS JOIN copies c WHERE x.la_child_id LIKE 'S00%';
INSERT INTO datasets_cinepisode (cin_child_id, local_authority_id, la_child_id, pseudonym, referral_date, referral_source, primary_need, closure_date, reason_for_closure, date_of_initial_cpc, referral_nfa, source_return_id, collection_year)
SELECT n.id, e.local_authority_id, n.la_child_id, e.pseudonym, e.referral_date, e.referral_source, e.primary_need, e.closure_date, e.reason_for_closure, e.date_of_initial_cpc, e.referral_nfa, e.source_return_id, e.collection_year
FROM datasets_cinepisode e CROSS JOIN copies c
JOIN datasets_cinchild n ON n.local_authority_id = e.local_authority_id AND n.la_child_id = c.prefix || substr(e.la_child_id, 4)
WHERE e.la_child_id LIKE 'S00%';
CREATE TEMP TABLE episode_map AS
SELECT o.id AS old_id, n.id AS new_id FROM datasets_cinepisode o CROSS JOIN copies c
JOIN datasets_cinepisode n ON n.local_authority_id = o.local_authority_id AND n.la_child_id = c.prefix || substr(o.la_child_id, 4) AND n.referral_date = o.referral_date
WHERE o.la_child_id LIKE 'S00%';
INSERT INTO datasets_cinassessment (episode_id, start_date, internal_review_date, authorisation_date, factors)
SELECT m.new_id, a.start_date, a.internal_review_date, a.authorisation_date, a.factors FROM datasets_cinassessment a JOIN episode_map m ON m.old_id = a.episode_id;
INSERT INTO datasets_section47enquiry (episode_id, start_date, icpc_target, icpc_date, icpc_not_required)
SELECT m.new_id, s.start_date, s.icpc_target, s.icpc_date, s.icpc_not_required FROM datasets_section47enquiry s JOIN episode_map m ON m.old_id = s.episode_id;
INSERT INTO datasets_childprotectionplan (episode_id, local_authority_id, la_child_id, pseudonym, start_date, end_date, initial_category, latest_category, previous_plans, review_dates, source_return_id, collection_year)
SELECT m.new_id, p.local_authority_id, n.la_child_id, p.pseudonym, p.start_date, p.end_date, p.initial_category, p.latest_category, p.previous_plans, p.review_dates, p.source_return_id, p.collection_year
FROM datasets_childprotectionplan p JOIN episode_map m ON m.old_id = p.episode_id JOIN datasets_cinepisode n ON n.id = m.new_id;
ANALYZE;
SELECT (SELECT count(*) FROM datasets_cinchild) children, (SELECT count(*) FROM datasets_cinepisode) episodes, (SELECT count(*) FROM datasets_cinassessment) assessments, (SELECT count(*) FROM datasets_section47enquiry) s47, (SELECT count(*) FROM datasets_childprotectionplan) plans;
