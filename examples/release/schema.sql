create table orders (id integer primary key, customer text not null, status text not null);
